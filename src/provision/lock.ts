import { randomBytes } from 'node:crypto'
import { linkSync, renameSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { ExitCode, ProvisionError } from '../errors.js'
import { fsError } from './fs/fs-error.js'
import { readTextBounded } from './fs/read-bounded.js'
import { writeFileWhole } from './fs/write-whole.js'

/** A lock file is one line of JSON; anything longer is not ours. */
const MAX_LOCK_BYTES = 4096

interface LockInfo {
  pid: number
  host: string
  since: string
}

/**
 * Takes the workspace lock (a file holding our pid). A second `provision` on the same workspace fails
 * fast; a lock left by a process that no longer runs is taken over.
 */
export function acquireLock(path: string, now: Date): () => void {
  const info: LockInfo = { pid: process.pid, host: hostname(), since: now.toISOString() }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLock(path, `${JSON.stringify(info)}\n`)) return () => releaseLock(path)
    const raw = readRaw(path)
    const holder = raw === undefined ? undefined : parseLock(raw)
    if (holder && holder.host === info.host && isRunning(holder.pid)) {
      throw new ProvisionError(
        'workspace-locked',
        `another provision (pid ${holder.pid}, started ${holder.since}) is working on this workspace`,
        {
          exitCode: ExitCode.conflict,
          hint: `Wait for it to finish. If no provision is running, remove ${path}.`,
        },
      )
    }
    if (holder && holder.host !== info.host) {
      throw new ProvisionError(
        'workspace-locked',
        `provision on host ${holder.host} (pid ${holder.pid}) holds the lock of this workspace since ${holder.since}`,
        {
          exitCode: ExitCode.conflict,
          hint: `If that run is over, remove ${path}.`,
        },
      )
    }
    if (raw !== undefined) breakStale(path, raw) // stale: its process is gone
  }
  throw new ProvisionError('workspace-locked', `could not take the workspace lock ${path}`, {
    exitCode: ExitCode.conflict,
  })
}

/**
 * Creates the lock file with its whole content at once (written aside, then hard-linked into place), so
 * that another process never reads a half-written lock and takes it for a stale one.
 */
function createLock(path: string, text: string): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
  try {
    writeFileWhole(aside, text, 0o600, { exclusive: true })
  } catch (error) {
    rmSync(aside, { force: true })
    throw fsError(error, path, 'create the lock file')
  }
  try {
    linkSync(aside, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS')
      throw fsError(error, path, 'create the lock file')
    return createPlain(path, text) // a file system without hard links
  } finally {
    rmSync(aside, { force: true })
  }
}

function createPlain(path: string, text: string): boolean {
  try {
    writeFileWhole(path, text, 0o600, { exclusive: true })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    rmSync(path, { force: true }) // ours, half-written
    throw fsError(error, path, 'create the lock file')
  }
}

/**
 * Removes a stale lock whose content was `raw`. It is first moved aside (only one process can move it);
 * when what was moved is not that stale lock (another process took it over meanwhile), it is put back.
 */
function breakStale(path: string, raw: string): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`
  try {
    renameSync(path, aside)
  } catch {
    return // already gone: try again
  }
  if (readRaw(aside) !== raw) {
    try {
      linkSync(aside, path)
    } catch {
      // a third process holds a new lock already; the next attempt reports it
    }
  }
  rmSync(aside, { force: true })
}

/** The lock file's text; undefined when it is gone, unreadable, too long, or not a regular file. */
function readRaw(path: string): string | undefined {
  try {
    return readTextBounded(path, { what: 'lock file', maxBytes: MAX_LOCK_BYTES, noFollow: true })
  } catch {
    return undefined
  }
}

function readLock(path: string): LockInfo | undefined {
  const raw = readRaw(path)
  return raw === undefined ? undefined : parseLock(raw)
}

function parseLock(raw: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(raw) as Partial<LockInfo>
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, host: String(parsed.host ?? ''), since: String(parsed.since ?? '?') }
      : undefined
  } catch {
    return undefined // unreadable or half-written: treated as stale
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function releaseLock(path: string): void {
  const holder = readLock(path)
  if (holder?.pid === process.pid) rmSync(path, { force: true })
}
