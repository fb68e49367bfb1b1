/** The phases of a run, in order; each one's duration is in the run's `phases`. */
export const RUN_PHASES = [
  'check',
  'provision',
  'start',
  'registration',
  'submit',
  'run',
  'download',
  'stop',
] as const
/** A phase of a run: check, provision, start, register, submit, train, download, stop. */
export type RunPhase = (typeof RUN_PHASES)[number]

/** Progress of PocEnv / ProdEnv runs, as data (the CLI renders it). */
export type RunEvent =
  | { type: 'phase'; phase: RunPhase }
  | { type: 'runtime'; python: string; modules: Record<string, string> }
  | { type: 'provisioned'; prodDir: string; reused: boolean }
  | { type: 'kit-started'; kit: string; pgid: number }
  | { type: 'registration'; registered: string[]; expected: string[] }
  | { type: 'clients'; clients: string[] }
  | { type: 'job-submitted'; jobId: string }
  | { type: 'job-status'; jobId: string; status: string }
  /** `round` counts from 1 (NVFlare's current_round + 1) up to `numRounds`. */
  | { type: 'round'; jobId: string; round: number; numRounds: number }
  | { type: 'job-finished'; jobId: string; status: string }
  | { type: 'downloaded'; jobId: string; path: string }
  | { type: 'stopping'; kits: string[] }
  | { type: 'stopped'; kits: string[]; left: number[] }
  | { type: 'warning'; message: string }

/** Receives the progress events of a run. */
export type RunEventSink = (event: RunEvent) => void

/** What every run takes besides its environment: Ctrl-C, and where progress goes. */
export interface RunControl {
  /** Aborting it stops the run: the driver ends, a PoC federation is stopped, then it throws (exit 130). */
  signal?: AbortSignal
  onEvent?: RunEventSink
}

/** How long one phase of a run took. */
export interface PhaseTime {
  phase: RunPhase
  seconds: number
}

/** Times each phase of a run (monotonic clock); `end()` closes the current one. */
export class PhaseClock {
  readonly phases: PhaseTime[] = []
  private current: { phase: RunPhase; start: number } | undefined

  constructor(
    private readonly emit: RunEventSink,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(phase: RunPhase): void {
    this.end()
    this.current = { phase, start: this.now() }
    this.emit({ type: 'phase', phase })
  }

  end(): void {
    if (!this.current) return
    const seconds = Math.round(this.now() - this.current.start) / 1000
    this.phases.push({ phase: this.current.phase, seconds })
    this.current = undefined
  }
}
