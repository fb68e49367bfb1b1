import { lstatSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'

/**
 * Files that builder arguments name, checked where the project is loaded: the docker builder copies its
 * `requirements_file` into prod_NN, so a path like `/etc/shadow` (or a link to it) would hand that file to
 * every site. Only a regular file inside the project folder, of a bounded size, is accepted.
 */

/** A pip requirements file is a few KB; this bounds what is copied into the docker build context. */
export const MAX_REQUIREMENTS_BYTES = 1024 * 1024
const DEFAULT_REQUIREMENTS = 'requirements.txt'

/** The requirements file the docker builder reads, and the folder it must stay inside. */
export interface RequirementsFile {
  path: string
  within: string
  /** `the project folder` or `the current folder`, for messages. */
  withinName: string
  /** True when project.yml names it; false for the default `requirements.txt` that exists. */
  given: boolean
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * `requirements_file` resolved against the project folder; without it, `requirements.txt` in the project
 * folder, else the one in the current folder (where the docker builder looks by itself), if either exists.
 */
export function requirementsFile(
  args: Readonly<Record<string, unknown>>,
  baseDir: string,
): RequirementsFile | undefined {
  const given = args['requirements_file']
  const project = { within: baseDir, withinName: 'the project folder' }
  if (typeof given === 'string') return { path: resolve(baseDir, given), ...project, given: true }
  if (given !== undefined && given !== null) return undefined
  const inProject = resolve(baseDir, DEFAULT_REQUIREMENTS)
  if (exists(inProject)) return { path: inProject, ...project, given: false }
  const inCwd = resolve(DEFAULT_REQUIREMENTS)
  const cwd = { within: process.cwd(), withinName: 'the current folder' }
  return exists(inCwd) ? { path: inCwd, ...cwd, given: false } : undefined
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** Why the file cannot be used, or undefined when it is a regular file inside its folder, not too big. */
export function requirementsFileProblem(file: RequirementsFile): string | undefined {
  const shown = JSON.stringify(file.path)
  const where = `${file.withinName} ${JSON.stringify(file.within)}`
  if (!exists(file.path)) return `the requirements file ${shown} does not exist`
  let real: string
  try {
    real = realpathSync(file.path)
  } catch {
    return `the requirements file ${shown} is a symbolic link that leads nowhere`
  }
  if (!inside(realpathSync(file.within), real)) {
    const via = real === file.path ? '' : ` (it leads to ${JSON.stringify(real)})`
    return `expected a requirements file inside ${where}, got ${shown}${via}: the docker builder copies it into every run's prod_NN`
  }
  const st = statSync(real)
  if (!st.isFile())
    return `expected a regular file as the requirements file, got ${shown} (not a regular file)`
  if (st.size > MAX_REQUIREMENTS_BYTES) {
    return `the requirements file ${shown} is ${st.size} bytes; at most ${MAX_REQUIREMENTS_BYTES} are accepted (a pip requirements file is a few KB)`
  }
  return undefined
}
