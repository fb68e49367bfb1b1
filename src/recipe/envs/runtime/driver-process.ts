import { spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
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
  const script = options.script ?? DRIVER_SCRIPT
  return new Promise((resolve, reject) => {
    const events: DriverEvent[] = []
    const log = options.logFile ? openSync(options.logFile, 'a') : undefined
    let tail = ''
    let aborted = false
    let quiet = false
    let failure: Error | undefined
    const child = spawn(options.python, [script, ...options.args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const stop = () => {
      signalGroup(child.pid, 'SIGTERM')
      setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref()
    }
    let quietTimer: NodeJS.Timeout | undefined
    const armQuietTimer = () => {
      if (options.quietLimitMs === undefined) return
      clearTimeout(quietTimer)
      quietTimer = setTimeout(() => {
        quiet = true
        stop()
      }, options.quietLimitMs)
    }
    const onAbort = () => {
      aborted = true
      stop()
    }
    const lines = lineSplitter((line) => {
      const event = parseDriverLine(line)
      if (!event) return
      events.push(event)
      armQuietTimer()
      options.onEvent?.(event)
    })
    const fail = (error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error))
      stop()
    }
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (failure) return
      try {
        lines.push(chunk)
      } catch (error) {
        fail(error)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (log !== undefined) writeSync(log, chunk)
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES)
    })
    if (options.signal?.aborted) onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    armQuietTimer()
    child.on('error', (error) => fail(cannotRun(options.python, error)))
    child.on('close', (code, signal) => {
      clearTimeout(quietTimer)
      options.signal?.removeEventListener('abort', onAbort)
      if (log !== undefined) closeSync(log)
      if (!failure) {
        try {
          lines.end()
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error))
        }
      }
      if (failure) reject(failure)
      else resolve({ code, signal, events, stderrTail: tail, aborted, quiet })
    })
  })
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
