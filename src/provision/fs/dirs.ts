import { chmodSync, mkdirSync, rmdirSync } from 'node:fs'
import { fsError } from './fs-error.js'
import { pathExists } from './safe-path.js'

/** Makes `dir` (one level) when missing and gives it exactly `mode`; true when it was made. */
export function ensureDir(dir: string, mode: number): boolean {
  const made = !pathExists(dir)
  try {
    if (made) mkdirSync(dir, { mode })
    chmodSync(dir, mode)
  } catch (error) {
    throw fsError(error, dir, 'create the folder')
  }
  return made
}

/** Removes `dir` when it is empty; leaves it otherwise. */
export function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // not empty or already gone: leave it
  }
}
