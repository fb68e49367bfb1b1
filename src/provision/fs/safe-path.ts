import { isAbsolute, relative, resolve, sep } from 'node:path'

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
