import { linkSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { besidePath, fsyncDir, writeFileAtomic, writeTempBeside } from './atomic.js'
import { ensureDir, removeIfEmpty } from './dirs.js'
import { fsError } from './fs-error.js'
import { ReadLimit, readFileBounded } from './read-bounded.js'
import { pathExists, resolveInside } from './safe-path.js'

/** The end of a run: files to replace in one folder, then one folder rename that publishes the run. */
export interface CommitPlan {
  /** The folder of the files (state/), made with `dirMode` when missing. */
  dir: string
  dirMode: number
  files: ReadonlyMap<string, string | Uint8Array>
  fileMode: number
  /** wip/ → prod_NN, done after the files. */
  rename: { from: string; to: string }
}

/** One file being replaced: its new content waits in `tmp`; the old one is kept (linked) as `backup`. */
interface Swap {
  target: string
  tmp: string
  /** A second name of the old file, to put it back; undefined when there was no old file. */
  backup: string | undefined
  /** The old content, when no hard link could be made. */
  old: Buffer | undefined
  mode: number
  replaced: boolean
}

/**
 * Replaces every file and renames the folder, or changes nothing: every new file is first written whole
 * and fsynced beside its target (a full disk fails here, before anything changed); then the files are
 * renamed into place and the folder renamed; a failure there puts the old files back. A process killed
 * half-way leaves the old or the new version of each file, and at most temp files and backups, which
 * `removeStaleTemps` removes under the next run's lock.
 */
export function commitTogether(plan: CommitPlan): void {
  const madeDir = plan.files.size > 0 && ensureDir(plan.dir, plan.dirMode)
  const swaps: Swap[] = []
  try {
    for (const [name, data] of plan.files)
      swaps.push(prepare(resolveInside(plan.dir, name), data, plan.fileMode))
    for (const swap of swaps) {
      replace(swap)
      swap.replaced = true
    }
    publish(plan.rename.from, plan.rename.to)
  } catch (error) {
    rollBack(swaps)
    if (madeDir) removeIfEmpty(plan.dir)
    throw error
  }
  for (const swap of swaps) if (swap.backup) rmSync(swap.backup, { force: true })
  if (swaps.length > 0) fsyncDir(plan.dir)
  fsyncDir(dirname(plan.rename.to))
}

function prepare(target: string, data: string | Uint8Array, mode: number): Swap {
  const tmp = writeTempBeside(target, data, mode)
  const swap: Swap = { target, tmp, backup: undefined, old: undefined, mode, replaced: false }
  if (!pathExists(target)) return swap
  const backup = besidePath(target, 'bak')
  try {
    linkSync(target, backup)
    swap.backup = backup
  } catch {
    // no hard links here (or no room for one): keep the old bytes in memory instead
    try {
      swap.old = readFileBounded(target, { what: 'file', maxBytes: ReadLimit.heFile, noFollow: true })
    } catch (error) {
      rmSync(tmp, { force: true })
      throw error
    }
  }
  return swap
}

function replace(swap: Swap): void {
  try {
    renameSync(swap.tmp, swap.target)
  } catch (error) {
    throw fsError(error, swap.target, 'replace')
  }
}

function publish(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch (error) {
    throw fsError(error, to, 'create', '; every state file was put back as it was')
  }
}

/** Best effort, newest first: each replaced file gets its old content back; temp files are removed. */
function rollBack(swaps: Swap[]): void {
  for (const swap of [...swaps].reverse()) {
    try {
      if (!swap.replaced) rmSync(swap.tmp, { force: true })
      else if (swap.backup) renameSync(swap.backup, swap.target)
      else if (swap.old) writeFileAtomic(swap.target, swap.old, swap.mode)
      else rmSync(swap.target, { force: true })
      if (!swap.replaced && swap.backup) rmSync(swap.backup, { force: true })
    } catch {
      // keep going: put back what can be put back
    }
  }
}
