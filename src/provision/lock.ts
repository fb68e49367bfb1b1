import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { ExitCode, ProvisionError } from '../errors.js'

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
    try {
      writeFileSync(path, `${JSON.stringify(info)}\n`, { flag: 'wx', mode: 0o600 })
      return () => releaseLock(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = readLock(path)
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
    rmSync(path, { force: true }) // stale: its process is gone
  }
  throw new ProvisionError('workspace-locked', `could not take the workspace lock ${path}`, {
    exitCode: ExitCode.conflict,
  })
}

function readLock(path: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>
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
