import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: a temp file in
 * the same folder, fsync, rename over the target, fsync of the folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw error
  }
  closeSync(fd)
  try {
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
  fsyncDir(dirname(path))
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
