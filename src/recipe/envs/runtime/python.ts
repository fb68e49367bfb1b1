import { accessSync, constants, mkdirSync, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileAtomic } from '../../../provision/fs/atomic.js'
import { FileMode } from '../../../provision/layout.js'

/** The runtime driver (copied next to this module into dist/ by scripts/copy-assets.mjs). */
export const DRIVER_SCRIPT = fileURLToPath(new URL('./driver.py', import.meta.url))

/** The variable that chooses the interpreter when no `python` option (CLI: --python) is given. */
export const PYTHON_ENV_VAR = 'FEDFORGE_PYTHON'

export interface PythonChoice {
  /** What to run: an absolute path when it was found, else the name as given. */
  command: string
  source: 'option' | typeof PYTHON_ENV_VAR | 'default'
}

/** The interpreter: `given`, else FEDFORGE_PYTHON, else `python3` (the one NVFlare's kits run). */
export function choosePython(given: string | undefined, env: NodeJS.ProcessEnv = process.env): PythonChoice {
  const fromEnv = env[PYTHON_ENV_VAR]?.trim()
  const [name, source]: [string, PythonChoice['source']] =
    given !== undefined && given !== ''
      ? [given, 'option']
      : fromEnv
        ? [fromEnv, PYTHON_ENV_VAR]
        : ['python3', 'default']
  return { command: findExecutable(name, env) ?? name, source }
}

/** `name` as an absolute path: a path is resolved, a bare name is looked up on PATH. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes('/')) return isExecutable(resolve(name)) ? resolve(name) : undefined
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue
    const candidate = join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** `value` as one POSIX shell word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * The environment of the kits' processes: NVFlare's start scripts run `python3` from PATH, so a
 * `python3` that runs the chosen interpreter is put first on PATH (a wrapper script in `binDir`, not a
 * link: a virtual environment is found from the path the interpreter was started by).
 */
export function kitEnvironment(
  python: PythonChoice,
  binDir: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  // a bare name would find the wrapper itself on PATH; the preflight check has found the interpreter
  if (!isAbsolute(python.command)) throw new Error(`kitEnvironment: ${python.command} is not a path`)
  mkdirSync(binDir, { recursive: true })
  const wrapper = `#!/bin/sh\n# written by fedforge: the interpreter this PoC federation runs\nexec ${shellQuote(python.command)} "$@"\n`
  writeFileAtomic(join(binDir, 'python3'), wrapper, FileMode.script)
  return { ...base, PATH: [binDir, base['PATH'] ?? ''].filter(Boolean).join(delimiter) }
}
