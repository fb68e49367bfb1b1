import { randomBytes } from 'node:crypto'
import { linkSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { fsyncDir } from '../fs/atomic.js'
import { fsError } from '../fs/fs-error.js'
import { writeFileWhole } from '../fs/write-whole.js'

/**
 * Writes a file that must not exist yet, whole or not at all: the data goes to a temp file in the same
 * folder (exact mode, fsync), which is then hard-linked to `path` (fails when `path` exists) and removed.
 */
export function writeNewFile(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileWhole(tmp, data, mode, { exclusive: true, fsync: true }) // all of it, or an error
  } catch (error) {
    rmSync(tmp, { force: true })
    throw fsError(error, path, 'write')
  }
  try {
    linkSync(tmp, path)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause
    throw new ProvisionError('file-exists', `${path} already exists; it was left as it is`, {
      cause,
      exitCode: ExitCode.badInput,
      hint: 'choose another output path, or move the existing file away',
    })
  } finally {
    rmSync(tmp, { force: true })
  }
  fsyncDir(dirname(path))
}

/** Removes a file this run wrote, when a later step failed (best effort: it may already be gone). */
export function removeWritten(path: string): void {
  rmSync(path, { force: true })
}
