import { spawnSync } from 'node:child_process'

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

/** Runs `python3 -c "import nvflare"` once and reports what it found. Never throws. */
export function probeNvflare(options: ProbeOptions = {}): NvflareRuntime {
  const python = options.python ?? 'python3'
  const script = 'import sys, nvflare; sys.stdout.write(getattr(nvflare, "__version__", "unknown"))'
  const run = spawnSync(python, ['-c', script], {
    encoding: 'utf8',
    timeout: (options.timeoutSeconds ?? 30) * 1000,
  })
  if (run.error) {
    return notInstalled(python, `${python} could not be run (${run.error.message})`)
  }
  if (run.status !== 0) return notInstalled(python, `${python} cannot import nvflare`)
  const version = run.stdout.trim() || 'unknown'
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
