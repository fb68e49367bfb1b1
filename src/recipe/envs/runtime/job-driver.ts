import { ExitCode, ProvisionError, type ProvisionErrorCode } from '../../../errors.js'
import { type DriverRun, runDriver } from './driver-process.js'
import type { PhaseClock, RunEvent, RunEventSink } from './events.js'
import { interrupted } from './interrupted.js'
import type { DriverErrorEvent, DriverEvent } from './protocol.js'
import { DriverExit } from './protocol.js'
import { type RunTimeouts, TIMEOUT_FLAGS } from './timeouts.js'

/** The logs to read when a wait fails, in words (local paths for PoC, the sites' folders for prod). */
export interface LogHints {
  session: string
  clients: string
  jobStart: (jobId: string) => string
  round: (jobId: string) => string
}

export interface JobSubmission {
  python: string
  env?: NodeJS.ProcessEnv
  adminKit: string
  username: string
  jobDir: string
  timeouts: RunTimeouts
  /** Clients the server must report before the job is submitted (PoC: every site). */
  expectClients?: string[]
  /** Follow the job to its end and download the result (else: submit only). */
  wait: boolean
  logFile?: string
  logs: LogHints
  clock: PhaseClock
  signal?: AbortSignal
  onEvent?: RunEventSink
  /** Seconds between the driver's status checks (default: the driver's, 2). */
  pollSeconds?: number
  /** Said after the job id when a run ends early, e.g. that the job goes on running (prod). */
  afterSubmit?: string
}

export interface JobOutcome {
  jobId: string
  /** The last status seen: FINISHED:… when followed to the end, else SUBMITTED. */
  status: string
  clients: string[]
  resultDir: string | undefined
  lastRound: { round: number; numRounds: number } | undefined
  /** What NVFlare said of the job's deployment (its meta's job_deploy_detail), when it ended. */
  detail: string[]
}

/** The job through the runtime driver's `run`: clients, submit, then (with `wait`) its end and download. */
export async function submitJob(s: JobSubmission): Promise<JobOutcome> {
  const outcome: JobOutcome = {
    jobId: '',
    status: '',
    clients: [],
    resultDir: undefined,
    lastRound: undefined,
    detail: [],
  }
  const emit = (e: RunEvent) => s.onEvent?.(e)
  s.clock.begin('submit')
  const run = await runDriver({
    python: s.python,
    args: driverArgs(s),
    quietLimitMs: quietLimit(s.timeouts),
    onEvent: (e) => follow(e, outcome, s, emit),
    ...(s.env ? { env: s.env } : {}),
    ...(s.signal ? { signal: s.signal } : {}),
    ...(s.logFile ? { logFile: s.logFile } : {}),
  })
  s.clock.end()
  if (run.code === DriverExit.ok && !run.aborted) return outcome
  throw runError(run, outcome, s)
}

function driverArgs(s: JobSubmission): string[] {
  const t = s.timeouts
  const args = ['--admin-kit', s.adminKit, '--username', s.username, '--session-timeout', String(t.session)]
  args.push('run', s.jobDir, '--start-timeout', String(t.jobStart), '--round-timeout', String(t.round))
  args.push('--clients-timeout', String(t.registration))
  if (s.expectClients?.length) args.push('--expect-clients', s.expectClients.join(','))
  if (!s.wait) args.push('--no-wait')
  if (s.pollSeconds !== undefined) args.push('--poll', String(s.pollSeconds))
  return args
}

/** The driver bounds its own waits; this backstop ends it when NVFlare hangs inside one call. */
const quietLimit = (t: RunTimeouts) => (Math.max(t.session, t.registration, t.jobStart, t.round) + 60) * 1000

function follow(e: DriverEvent, o: JobOutcome, s: JobSubmission, emit: (e: RunEvent) => void): void {
  const event = record(e, o, s.wait ? s.clock : undefined)
  if (event) emit(event)
}

/** Updates the outcome with a driver event (and the phases, when the job is followed); returns its run event. */
function record(e: DriverEvent, o: JobOutcome, clock: PhaseClock | undefined): RunEvent | undefined {
  switch (e.event) {
    case 'clients':
      o.clients = e.clients
      return { type: 'clients', clients: e.clients }
    case 'submitted':
      o.jobId = e.job_id
      o.status = 'SUBMITTED'
      clock?.begin('run')
      return { type: 'job-submitted', jobId: e.job_id }
    case 'status':
      o.status = e.status
      return { type: 'job-status', jobId: e.job_id, status: e.status }
    case 'round': {
      if (e.current_round === null || e.num_rounds === null) return undefined
      const round = Math.min(e.current_round + 1, e.num_rounds)
      if (o.lastRound?.round === round && o.lastRound.numRounds === e.num_rounds) return undefined
      o.lastRound = { round, numRounds: e.num_rounds }
      return { type: 'round', jobId: e.job_id, ...o.lastRound }
    }
    case 'finished':
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

function runError(run: DriverRun, o: JobOutcome, s: JobSubmission): ProvisionError {
  const job = o.jobId ? `job ${o.jobId}` : 'the job'
  const after = o.jobId && s.afterSubmit ? ` (${s.afterSubmit})` : ''
  if (run.aborted)
    return interrupted(o.jobId ? `while following ${job}${after}` : 'before the job was submitted')
  const last = run.events.at(-1)
  if (last?.event === 'error') return driverError(last, o, s, after)
  const why = run.quiet
    ? `printed nothing for ${quietLimit(s.timeouts) / 1000} s (NVFlare stuck?)`
    : `ended with ${run.code ?? run.signal} without saying why`
  return new ProvisionError('driver-failed', `the runtime driver ${why}, following ${job}${after}`, {
    problems: run.stderrTail.trim().split('\n').slice(-8),
    hint: s.logFile ? `read ${s.logFile}` : s.logs.session,
    exitCode: ExitCode.failed,
  })
}

function driverError(e: DriverErrorEvent, o: JobOutcome, s: JobSubmission, after: string): ProvisionError {
  const failed = { exitCode: ExitCode.failed }
  const message = `${e.message}${after}`
  if (e.kind === 'session')
    return new ProvisionError('admin-session', message, { ...failed, hint: s.logs.session })
  if (e.kind === 'import') {
    return new ProvisionError('python-module-missing', `${s.python} cannot import ${e.module}: ${message}`, {
      exitCode: ExitCode.conflict,
    })
  }
  if (e.kind === 'timeout') {
    const [code, logs, flag]: [ProvisionErrorCode, string, string] =
      e.waiting_for === 'clients'
        ? ['clients-timeout', s.logs.clients, TIMEOUT_FLAGS.registration]
        : e.waiting_for === 'job start'
          ? ['job-start-timeout', s.logs.jobStart(o.jobId), TIMEOUT_FLAGS.jobStart]
          : ['round-timeout', s.logs.round(o.jobId), TIMEOUT_FLAGS.round]
    return new ProvisionError(code, message, { ...failed, hint: `${logs}; allow more time with ${flag}` })
  }
  const where = o.jobId ? s.logs.round(o.jobId) : s.logs.session
  return new ProvisionError('runtime-error', `NVFlare: ${message}`, { ...failed, hint: where })
}
