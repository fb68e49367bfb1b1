import { lstatSync, readlinkSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'

/**
 * Joins `parts` under `root` and refuses any result outside `root` (a second line of defence behind the
 * name rules of project.yml).
 */
export function resolveInside(root: string, ...parts: string[]): string {
  for (const part of parts) {
    if (part.includes('\0')) throw new Error(`refusing a path with a NUL byte under ${root}`)
  }
  const base = resolve(root)
  const target = resolve(base, ...parts)
  const rel = relative(base, target)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(`refusing to write outside ${base}: ${parts.join('/')}`)
  }
  return target
}

/** True when anything is at `path`: a file, a folder, or a symbolic link (even one that leads nowhere). */
export function pathExists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined
}

/** Where the symbolic link at `path` leads, for messages. */
function linkTarget(path: string): string {
  try {
    return readlinkSync(path)
  } catch {
    return '?'
  }
}

/**
 * Throws when `path` is a symbolic link: fedforge never follows a link for a folder or file of its own
 * (state/, prod_NN, a kit), so that no write and no read of secrets leads out of the workspace.
 */
export function refuseSymlink(path: string, what: string): void {
  if (!lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return
  throw new ProvisionError(
    'symlink-refused',
    `${what} ${path} is a symbolic link (to ${linkTarget(path)}); fedforge does not follow links there`,
    {
      hint: 'Replace the link with the real folder or file (move it here), or choose another -w DIR.',
      exitCode: ExitCode.conflict,
    },
  )
}
