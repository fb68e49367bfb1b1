import type { PhaseClock, RunEventSink } from './events.js'
import type { Round } from './round-watch.js'
import type { RunTimeouts } from './timeouts.js'

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
  /** Another source of the job's rounds (PoC: the server's job log); returns how to stop it. */
  watchRounds?: (jobId: string, onRound: (round: Round) => void) => () => void
}

export interface JobOutcome {
  jobId: string
  /** The last status seen: FINISHED:… when followed to the end, else SUBMITTED. */
  status: string
  clients: string[]
  resultDir: string | undefined
  lastRound: Round | undefined
  /** What NVFlare said of the job's deployment (its meta's job_deploy_detail), when it ended. */
  detail: string[]
}
