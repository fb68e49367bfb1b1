import { lstatSync, readdirSync, type Stats } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { CustomFile } from './job/job-config.js'

/** Bounds on what one job bundles into app/custom/: files, bytes, folder depth. */
export const BUNDLE_LIMITS = { files: 10_000, bytes: 1024 ** 3, depth: 32 } as const

/** Folders never bundled: Python's byte-code caches (rebuilt on the sites). */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['__pycache__'])

/** The files gathered for app/custom/ so far, and what was wrong. */
export interface Bundle {
  readonly files: CustomFile[]
  bytes: number
  readonly problems: string[]
}

export function emptyBundle(problems: string[]): Bundle {
  return { files: [], bytes: 0, problems }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

/**
 * Adds `source` (a regular file, or a folder walked recursively) as custom/`target`. Symbolic links and
 * special files are refused, by name, as are bundles over BUNDLE_LIMITS. `what` names the option.
 */
export function addToBundle(bundle: Bundle, what: string, source: string, target: string, depth = 0): void {
  const st = lstatOrUndefined(source)
  if (st === undefined) {
    bundle.problems.push(`${what}: ${source} does not exist`)
  } else if (st.isSymbolicLink()) {
    bundle.problems.push(`${what}: ${source} is a symbolic link; only regular files and folders are bundled`)
  } else if (st.isFile()) {
    addFile(bundle, what, { source, target }, st.size)
  } else if (!st.isDirectory()) {
    bundle.problems.push(`${what}: ${source} is not a regular file or folder`)
  } else if (depth >= BUNDLE_LIMITS.depth) {
    bundle.problems.push(`${what}: ${source} is nested more than ${BUNDLE_LIMITS.depth} folders deep`)
  } else {
    for (const name of readdirSync(source).sort()) {
      if (SKIPPED_DIRS.has(name)) continue
      addToBundle(bundle, what, join(source, name), `${target}/${name}`, depth + 1)
      if (bundle.files.length > BUNDLE_LIMITS.files) return
    }
  }
}

function addFile(bundle: Bundle, what: string, file: CustomFile, size: number): void {
  const same = bundle.files.find((f) => f.target === file.target)
  if (same !== undefined) {
    if (same.source !== file.source) {
      bundle.problems.push(
        `${what}: custom/${file.target} would hold both ${same.source} and ${file.source}; rename one`,
      )
    }
    return
  }
  bundle.files.push(file)
  bundle.bytes += size
  if (bundle.files.length === BUNDLE_LIMITS.files + 1) {
    bundle.problems.push(`${what}: more than ${BUNDLE_LIMITS.files} files to bundle (at ${file.source})`)
  } else if (bundle.bytes > BUNDLE_LIMITS.bytes && bundle.bytes - size <= BUNDLE_LIMITS.bytes) {
    bundle.problems.push(
      `${what}: the bundle exceeds ${BUNDLE_LIMITS.bytes / 1024 ** 3} GiB (at ${file.source})`,
    )
  }
}

/** `--custom FILE|DIR` entries: each goes into custom/ under its own name. */
export function addCustomEntries(bundle: Bundle, entries: readonly string[], cwd: string): void {
  for (const entry of entries) {
    const source = resolve(cwd, entry)
    addToBundle(bundle, 'custom', source, basename(source))
  }
}

/** Whether custom/ already holds Python module `top` (as top.py or a top/ folder). */
function bundles(bundle: Bundle, top: string): boolean {
  return bundle.files.some((f) => f.target === `${top}.py` || f.target.startsWith(`${top}/`))
}

/**
 * The module of a model class path (`model.SimpleNet` → `model`), looked for beside the training script
 * (`model.py`, or a package folder `model/`) and bundled, unless custom/ holds it already or it is
 * NVFlare's own (`nvflare.…`, installed with the runtime).
 */
export function addModelModule(bundle: Bundle, classPath: string, scriptDir: string): void {
  const parts = classPath.split('.')
  if (parts.length < 2 || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    bundle.problems.push(`model: ${classPath} is not a Python class path module.Class (e.g. model.SimpleNet)`)
    return
  }
  const modules = parts.slice(0, -1)
  const top = modules[0] as string
  if (top === 'nvflare' || bundles(bundle, top)) return
  const candidates =
    modules.length === 1
      ? [join(scriptDir, `${top}.py`), join(scriptDir, top)]
      : [join(scriptDir, ...modules.slice(0, -1), `${modules.at(-1)}.py`), join(scriptDir, ...modules)]
  const found = candidates.find((c) => lstatOrUndefined(c) !== undefined)
  if (found === undefined) {
    bundle.problems.push(
      `model: module ${modules.join('.')} of ${classPath} not found beside the training script ` +
        `(looked for ${candidates.join(' and ')}); put it there or bundle it with custom`,
    )
    return
  }
  const source = modules.length === 1 ? found : join(scriptDir, top)
  addToBundle(bundle, 'model', source, basename(source))
}
