import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ExitCode, ProvisionError } from '../errors.js'
import { removeIfEmpty } from './fs/dirs.js'
import { fsError } from './fs/fs-error.js'
import { pathExists, refuseSymlink } from './fs/safe-path.js'
import { FileMode, Layout, prodDirIndex } from './layout.js'

/** The highest prod_NN index: a bounded integer, so that `prod_999999999999999999999` cannot overflow it. */
export const MAX_PROD_INDEX = 999_999

/** mkdir -p that reports which folders it made, so that a failed run can remove them again. */
export function makeDirs(dir: string): string[] {
  const missing: string[] = []
  for (let d = dir; !pathExists(d); d = join(d, '..')) missing.unshift(d)
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: FileMode.dir })
    } catch (error) {
      for (const made of missing.slice(0, missing.indexOf(d)).reverse()) removeIfEmpty(made)
      throw workspaceError(error, dir)
    }
  }
  return missing
}

function workspaceError(error: unknown, dir: string): unknown {
  const wrapped = fsError(error, dir, 'create the workspace folder')
  if (wrapped !== error) return wrapped
  return new ProvisionError('output-unwritable', `cannot create the workspace folder ${dir}`, {
    cause: error,
    hint: 'Choose another folder with -w DIR, or check its permissions.',
  })
}

/**
 * Refuses symbolic links where fedforge writes or reads its own files: the project folder, its state/,
 * wip/ and prod_NN folders, and the files in state/ (the root key would be written wherever a link leads).
 */
export function refuseWorkspaceLinks(projectDir: string): void {
  refuseSymlink(projectDir, 'the project folder')
  for (const name of readdirSync(projectDir)) {
    if (name === Layout.stateDir || name === Layout.wipDir || prodDirIndex(name) !== undefined) {
      refuseSymlink(join(projectDir, name), 'the workspace folder')
    }
  }
  const stateDir = join(projectDir, Layout.stateDir)
  if (!pathExists(stateDir)) return
  for (const name of readdirSync(stateDir)) refuseSymlink(join(stateDir, name), 'the state file')
}

/** The index of the next prod_NN folder: one more than the highest, at most MAX_PROD_INDEX. */
export function nextProdIndex(projectDir: string): number {
  let highest = -1
  for (const name of readdirSync(projectDir)) {
    const index = prodDirIndex(name)
    if (index === undefined) continue
    if (index >= MAX_PROD_INDEX) throw indexTooHigh(join(projectDir, name))
    highest = Math.max(highest, index)
  }
  return highest + 1
}

function indexTooHigh(path: string): ProvisionError {
  return new ProvisionError(
    'prod-index-too-high',
    `${path}: fedforge numbers its output folders prod_00 to prod_${MAX_PROD_INDEX}, and this one leaves no next number`,
    {
      hint: 'Rename that folder (or move it out of the workspace), then run provision again.',
      exitCode: ExitCode.conflict,
    },
  )
}
