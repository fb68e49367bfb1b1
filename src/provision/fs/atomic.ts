import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fsError } from './fs-error.js'
import { writeFileWhole } from './write-whole.js'

/** Temp files (`.tmp`) and the backups of a commit (`.bak`): a 12-hex-digit name in the target's folder. */
const TEMP_NAME = /^\.[0-9a-f]{12}\.(tmp|bak)$/

/** A fresh name beside `path` for a temp file or a backup. */
export function besidePath(path: string, kind: 'tmp' | 'bak'): string {
  return join(dirname(path), `.${randomBytes(6).toString('hex')}.${kind}`)
}

/**
 * Removes the temp files and backups that a process killed in the middle of a write left in `dir` (call
 * it while holding the lock of that folder).
 */
export function removeStaleTemps(dir: string): void {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    if (TEMP_NAME.test(name)) rmSync(join(dir, name), { force: true })
  }
}

/**
 * Writes `data` whole and fsynced to a new temp file beside `path` and returns its name; on any failure
 * the temp file is removed and the error names `path`.
 */
export function writeTempBeside(path: string, data: string | Uint8Array, mode: number): string {
  const tmp = besidePath(path, 'tmp')
  try {
    writeFileWhole(tmp, data, mode, { exclusive: true, fsync: true })
  } catch (error) {
    rmSync(tmp, { force: true })
    throw fsError(error, path, 'write', `; ${basename(path)} was left as it was`)
  }
  return tmp
}

/**
 * Writes a file so that a crash or a full disk at any moment leaves either the old or the new content:
 * a temp file in the same folder (written whole, fsynced), renamed over the target, fsync of the folder.
 * A symbolic link at `path` is replaced, never written through.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = writeTempBeside(path, data, mode)
  try {
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw fsError(error, path, 'replace', `; ${basename(path)} was left as it was`)
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
