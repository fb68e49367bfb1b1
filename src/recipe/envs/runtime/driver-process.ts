import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { ExitCode, ProvisionError } from '../../../errors.js'
import { type DriverEvent, lineSplitter, parseDriverLine } from './protocol.js'
import { DRIVER_SCRIPT } from './python.js'

export interface DriverOptions {
  python: string
  /** The driver's arguments (after the script). */
  args: string[]
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  onEvent?: (event: DriverEvent) => void
  /** Ends the driver when it prints no event for this long (it bounds its own waits; this is a backstop). */
  quietLimitMs?: number
  /** Where the driver's stderr (NVFlare's own output) is appended; a tail is kept in the result anyway. */
  logFile?: string
  /** The driver script (default: driver.py next to this module). */
  script?: string
}

export interface DriverRun {
  /** Exit code, or null when a signal ended it. */
  code: number | null
  signal: NodeJS.Signals | null
  events: DriverEvent[]
  /** The last few KB of its stderr. */
  stderrTail: string
  /** Ended by `signal` (the caller's AbortSignal). */
  aborted: boolean
  /** Ended because it printed nothing for `quietLimitMs`. */
  quiet: boolean
}

const TAIL_BYTES = 8192
const KILL_GRACE_MS = 3000

/**
 * Runs driver.py once and streams its JSON-line events. The driver gets a process group of its own, so
 * that a terminal's Ctrl-C reaches only us: on abort (or a protocol error, or silence) it is sent SIGTERM,
 * then SIGKILL. Rejects when the interpreter cannot be started (exit 3) or a line breaks the protocol.
 */
export function runDriver(options: DriverOptions): Promise<DriverRun> {
  return new Promise((resolve, reject) => new DriverWatch(options, resolve, reject).start())
}

/** One driver process and what we saw of it. */
class DriverWatch {
  private readonly events: DriverEvent[] = []
  private readonly lines = lineSplitter((line) => this.onLine(line))
  private child: ChildProcessByStdio<null, Readable, Readable> | undefined
  private log: number | undefined
  private tail = ''
  private aborted = false
  private quiet = false
  private failure: Error | undefined
  private quietTimer: NodeJS.Timeout | undefined
  private readonly onAbort = () => {
    this.aborted = true
    this.stop()
  }

  constructor(
    private readonly o: DriverOptions,
    private readonly resolve: (run: DriverRun) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  start(): void {
    this.log = this.o.logFile ? openSync(this.o.logFile, 'a') : undefined
    const child = spawn(this.o.python, [this.o.script ?? DRIVER_SCRIPT, ...this.o.args], {
      env: this.o.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    this.child = child
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => this.guard(() => this.lines.push(chunk)))
    child.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk))
    child.on('error', (error) => this.fail(cannotRun(this.o.python, error)))
    child.on('close', (code, signal) => this.onClose(code, signal))
    if (this.o.signal?.aborted) this.onAbort()
    this.o.signal?.addEventListener('abort', this.onAbort, { once: true })
    this.armQuietTimer()
  }

  private onLine(line: string): void {
    const event = parseDriverLine(line)
    if (!event) return
    this.events.push(event)
    this.armQuietTimer()
    this.o.onEvent?.(event)
  }

  private onStderr(chunk: Buffer): void {
    if (this.log !== undefined) writeSync(this.log, chunk)
    this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_BYTES)
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(this.quietTimer)
    this.o.signal?.removeEventListener('abort', this.onAbort)
    if (this.log !== undefined) closeSync(this.log)
    this.guard(() => this.lines.end())
    if (this.failure) {
      this.reject(this.failure)
      return
    }
    const { events, tail: stderrTail, aborted, quiet } = this
    this.resolve({ code, signal, events, stderrTail, aborted, quiet })
  }

  /** Runs `work` unless the run has failed; a throw fails it. */
  private guard(work: () => void): void {
    if (this.failure) return
    try {
      work()
    } catch (error) {
      this.fail(error)
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error))
    this.stop()
  }

  private armQuietTimer(): void {
    if (this.o.quietLimitMs === undefined) return
    clearTimeout(this.quietTimer)
    this.quietTimer = setTimeout(() => {
      this.quiet = true
      this.stop()
    }, this.o.quietLimitMs)
  }

  private stop(): void {
    const pid = this.child?.pid
    signalGroup(pid, 'SIGTERM')
    setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref()
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** The interpreter could not be started at all (not found, not executable). */
export function cannotRun(python: string, error: Error): ProvisionError {
  return new ProvisionError(
    'python-missing',
    `cannot run the Python interpreter ${python}: ${error.message}`,
    {
      exitCode: ExitCode.conflict,
      hint: 'choose an interpreter that has NVFlare with --python PATH or FEDFORGE_PYTHON',
      cause: error,
    },
  )
}
