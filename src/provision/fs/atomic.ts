import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

const TEMP_SUFFIX = '.tmp'
const TEMP_NAME = /^\.[0-9a-f]{12}\.tmp$/

/**
 * Removes the temp files that a process killed in the middle of writeFileAtomic left in `dir` (call it
 * while holding the lock of that folder).
 */
export function removeStaleTemps(dir: string): void {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    if (TEMP_NAME.test(name)) rmSync(join(dir, name), { force: true })
  }
}

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content: a temp file in
 * the same folder, fsync, rename over the target, fsync of the folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`)
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
