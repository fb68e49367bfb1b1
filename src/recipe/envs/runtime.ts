import { spawnSync } from 'node:child_process'
import { ExitCode, ProvisionError } from '../../errors.js'
import { cannotRun, runDriver } from './runtime/driver-process.js'
import { interrupted } from './runtime/interrupted.js'
import { type DriverEventOf, parseDriverLine } from './runtime/protocol.js'
import { DRIVER_SCRIPT } from './runtime/python.js'

/** Whether NVFlare's Python runtime can be imported on this machine. */
export interface NvflareRuntime {
  installed: boolean
  /** NVFlare's version when installed. */
  version: string | undefined
  python: string
  /** One plain sentence for the user. */
  message: string
}

/** Tells whether NVFlare is installed (the envs' `runtime` option; default `probeNvflare()`). */
export type RuntimeProbe = () => NvflareRuntime

/** Options of `probeNvflare`: the interpreter and a time limit. */
export interface ProbeOptions {
  /** Python interpreter (default: `python3`). */
  python?: string
  /** Seconds before giving up (default 30). */
  timeoutSeconds?: number
}

/** Asks the runtime driver (`driver.py check`) whether nvflare imports. Never throws. */
export function probeNvflare(options: ProbeOptions = {}): NvflareRuntime {
  const python = options.python ?? 'python3'
  const run = spawnSync(python, [DRIVER_SCRIPT, 'check'], {
    encoding: 'utf8',
    timeout: (options.timeoutSeconds ?? 30) * 1000,
  })
  if (run.error) {
    return notInstalled(python, `${python} could not be run (${run.error.message})`)
  }
  const last = (run.stdout ?? '').trim().split('\n').at(-1) ?? ''
  let event: ReturnType<typeof parseDriverLine>
  try {
    event = parseDriverLine(last)
  } catch {
    event = undefined
  }
  if (run.status !== 0 || event?.event !== 'check') {
    const why = event?.event === 'error' ? `: ${event.message}` : ''
    return notInstalled(python, `${python} cannot import nvflare${why}`)
  }
  const version = event.modules['nvflare'] ?? 'unknown'
  return {
    installed: true,
    version,
    python,
    message: `NVFlare ${version} is installed for ${python}; the job was written but not submitted or run.`,
  }
}

function notInstalled(python: string, why: string): NvflareRuntime {
  return {
    installed: false,
    version: undefined,
    python,
    message:
      `NVFlare's Python runtime is not installed (${why}). The job was written, but nothing was run: ` +
      'install it (pip install nvflare tenseal) on the machines that run the kits, then submit the job.',
  }
}

export type RuntimeCheck = DriverEventOf<'check'>

export interface CheckRuntimeOptions {
  python: string
  /** Modules that must import besides nvflare (HE: tenseal). */
  require?: string[]
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** Seconds (default 120: importing NVFlare and torch takes a while on a busy machine). */
  timeoutSeconds?: number
}

/**
 * The check before a run starts anything: nvflare (and `require`) must import with `python`. Otherwise a
 * ProvisionError (exit 3) naming the interpreter, the module and the real ImportError.
 */
export async function checkRuntime(options: CheckRuntimeOptions): Promise<RuntimeCheck> {
  const require = (options.require ?? []).flatMap((m) => ['--require', m])
  const run = await runDriver({
    python: options.python,
    args: ['check', ...require],
    quietLimitMs: (options.timeoutSeconds ?? 120) * 1000,
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  const last = run.events.at(-1)
  if (last?.event === 'check' && run.code === 0) return last
  if (run.aborted) throw interrupted('before anything was started')
  if (last?.event === 'error' && last.kind === 'import') {
    throw new ProvisionError(
      'python-module-missing',
      `the Python interpreter ${options.python} cannot import ${last.module ?? 'a module'}: ${last.message}`,
      {
        exitCode: ExitCode.conflict,
        hint: `install it for that interpreter (pip install nvflare tenseal), or choose another one with --python PATH or FEDFORGE_PYTHON; nothing was started`,
      },
    )
  }
  const why = run.quiet
    ? `gave no answer within ${options.timeoutSeconds ?? 120} s`
    : `ended with ${run.code ?? run.signal}`
  throw cannotRun(options.python, new Error(`${why}\n${run.stderrTail.trim()}`))
}
