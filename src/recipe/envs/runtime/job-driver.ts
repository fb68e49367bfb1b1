import { runDriver } from './driver-process.js'
import type { RunEvent } from './events.js'
import { quietLimit, roundTimeout, runError } from './job-errors.js'
import type { JobOutcome, JobSubmission } from './job-types.js'
import type { DriverEvent } from './protocol.js'
import { DriverExit } from './protocol.js'
import { type Round, RoundWatch } from './round-watch.js'

/**
 * The job through the runtime driver's `run`: clients, submit, then (with `wait`) its end and download.
 * The driver bounds the wait for the clients and the job's start; the limit on each round is kept here,
 * over the rounds of every source.
 */
export async function submitJob(s: JobSubmission): Promise<JobOutcome> {
  const follow = new JobFollow(s)
  s.clock.begin('submit')
  try {
    const run = await runDriver({
      python: s.python,
      args: driverArgs(s),
      quietLimitMs: quietLimit(s.timeouts),
      onEvent: (e) => follow.event(e),
      signal: follow.abort.signal,
      ...(s.env ? { env: s.env } : {}),
      ...(s.logFile ? { logFile: s.logFile } : {}),
    })
    if (follow.rounds.timedOut) throw roundTimeout(follow.outcome, s)
    if (run.code === DriverExit.ok && !run.aborted) return follow.outcome
    throw runError(run, follow.outcome, s)
  } finally {
    follow.dispose()
    s.clock.end()
  }
}

function driverArgs(s: JobSubmission): string[] {
  const t = s.timeouts
  const args = ['--admin-kit', s.adminKit, '--username', s.username, '--session-timeout', String(t.session)]
  // --round-timeout 0: the round limit is ours (RoundWatch)
  args.push('run', s.jobDir, '--start-timeout', String(t.jobStart), '--round-timeout', '0')
  args.push('--clients-timeout', String(t.registration))
  if (s.expectClients?.length) args.push('--expect-clients', s.expectClients.join(','))
  if (!s.wait) args.push('--no-wait')
  if (s.pollSeconds !== undefined) args.push('--poll', String(s.pollSeconds))
  return args
}

/** One job followed: the outcome so far, its rounds and their limit, the driver's abort. */
class JobFollow {
  readonly outcome: JobOutcome = {
    jobId: '',
    status: '',
    clients: [],
    resultDir: undefined,
    lastRound: undefined,
    detail: [],
  }
  readonly abort = new AbortController()
  readonly rounds: RoundWatch
  private stopWatch: (() => void) | undefined
  private readonly onUserAbort = () => this.abort.abort()

  constructor(private readonly s: JobSubmission) {
    this.rounds = new RoundWatch(
      s.timeouts.round,
      (round) => this.roundSeen(round),
      () => this.abort.abort(),
    )
    if (s.signal?.aborted) this.abort.abort()
    s.signal?.addEventListener('abort', this.onUserAbort, { once: true })
  }

  event(e: DriverEvent): void {
    const event = this.record(e)
    if (event) this.s.onEvent?.(event)
  }

  dispose(): void {
    this.rounds.stop()
    this.stopWatch?.()
    this.s.signal?.removeEventListener('abort', this.onUserAbort)
  }

  private roundSeen(round: Round): void {
    this.outcome.lastRound = round
    this.s.onEvent?.({ type: 'round', jobId: this.outcome.jobId, ...round })
  }

  /** Updates the outcome (and the phases, when the job is followed); returns the event's run event. */
  private record(e: DriverEvent): RunEvent | undefined {
    const o = this.outcome
    const clock = this.s.wait ? this.s.clock : undefined
    switch (e.event) {
      case 'clients':
        o.clients = e.clients
        return { type: 'clients', clients: e.clients }
      case 'submitted':
        o.jobId = e.job_id
        o.status = 'SUBMITTED'
        clock?.begin('run')
        if (this.s.wait) this.stopWatch = this.s.watchRounds?.(e.job_id, (r) => this.rounds.saw(r))
        return { type: 'job-submitted', jobId: e.job_id }
      case 'status':
        o.status = e.status
        if (e.status === 'RUNNING' && this.s.wait) this.rounds.started()
        return { type: 'job-status', jobId: e.job_id, status: e.status }
      case 'round':
        if (e.current_round !== null && e.num_rounds !== null) {
          this.rounds.saw({ round: Math.min(e.current_round + 1, e.num_rounds), numRounds: e.num_rounds })
        }
        return undefined
      case 'finished':
        this.rounds.stop()
        o.status = e.status
        o.detail = e.detail
        clock?.begin('download')
        return { type: 'job-finished', jobId: e.job_id, status: e.status }
      case 'downloaded':
        o.resultDir = e.path ?? undefined
        return e.path ? { type: 'downloaded', jobId: e.job_id, path: e.path } : undefined
      default:
        return undefined
    }
  }
}
