import { ScatterAndGather } from '../../../provision/targets/job-classes.js'
import type { JobDefinition } from '../../job/job-config.js'
import { LogFollower } from './registration.js'

export interface Round {
  /** 1-based: NVFlare's current_round + 1. */
  round: number
  numRounds: number
}

/**
 * The rounds of a running job, from every source once (the driver's show_stats, the server's job log), and
 * the limit on each: `onTimeout` fires when the job is RUNNING and no new round came for `limitSeconds`
 * (the last round's limit runs until the job has finished).
 */
export class RoundWatch {
  last: Round | undefined
  timedOut = false
  private timer: NodeJS.Timeout | undefined
  private running = false

  constructor(
    private readonly limitSeconds: number,
    private readonly onRound: (round: Round) => void,
    private readonly onTimeout: () => void,
  ) {}

  /** The job is RUNNING: the first round's limit starts. */
  started(): void {
    if (this.running) return
    this.running = true
    this.arm()
  }

  /** A round seen by some source; a new one is reported and starts its limit. */
  saw(round: Round): void {
    const newer = this.last === undefined || round.round > this.last.round
    if (!newer || round.round < 1 || round.round > round.numRounds) return
    this.last = round
    this.onRound(round)
    if (this.running) this.arm()
  }

  /** The job has ended (or the run has): no limit any more. */
  stop(): void {
    this.running = false
    clearTimeout(this.timer)
  }

  private arm(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timedOut = true
      this.stop()
      this.onTimeout()
    }, this.limitSeconds * 1000)
  }
}

/** The message of a round limit that ran out. */
export function roundTimeoutMessage(jobId: string, limitSeconds: number, last: Round | undefined): string {
  const where = last ? `in round ${last.round} of ${last.numRounds}` : 'before its first round'
  return `job ${jobId} made no progress for ${limitSeconds} s ${where}`
}

/** ScatterAndGather's line when a round begins (NVFlare 2.7 - main): `Round 0 started.` */
const ROUND_STARTED = /\bRound (\d+) started\./

/**
 * Follows a job log for its `Round N started.` lines (every second), until the returned function is
 * called: how a PoC run sees rounds when the server's show_stats does not answer in time.
 */
export function followRoundLog(file: string, numRounds: number, onRound: (round: Round) => void): () => void {
  const follower = new LogFollower(file, 0)
  const timer = setInterval(() => {
    for (const line of follower.newLines()) {
      const match = ROUND_STARTED.exec(line)
      if (match) onRound({ round: Number(match[1]) + 1, numRounds })
    }
  }, 1000)
  return () => clearInterval(timer)
}

/**
 * The number of rounds the job's ScatterAndGather runs: its `num_rounds` argument, or the class's default
 * (a job config leaves out an argument equal to the default); undefined for other workflows.
 */
export function jobNumRounds(job: JobDefinition): number | undefined {
  const workflow = job.server.workflows.find((w) => w.path === ScatterAndGather.path)
  const n = workflow?.args['num_rounds'] ?? ScatterAndGather.params['num_rounds']
  return workflow && typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined
}
