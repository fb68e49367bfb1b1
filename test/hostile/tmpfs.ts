import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmdirSync, statfsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Why a small file system cannot be mounted here (tests that need one are skipped with this reason). */
function probe(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux'
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (run the tests as root, e.g. in CI)'
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-tmpfs-probe-'))
  try {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { encoding: 'utf8' })
    if (r.status !== 0) return `mount -t tmpfs failed: ${(r.stderr || r.error?.message || '').trim()}`
    spawnSync('umount', [dir])
    return undefined
  } finally {
    rmdirSync(dir)
  }
}

export const TMPFS_SKIP_REASON = probe()

/** Mounts a tmpfs of `bytes` (rounded up to pages) at `dir`; `ro` makes it read-only. */
export function mountTmpfs(dir: string, bytes: number, ro = false): void {
  const options = `size=${bytes}${ro ? ',ro' : ''},mode=0755`
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`mount ${dir}: ${r.stderr}`)
}

export function remount(dir: string, options: string): void {
  const r = spawnSync('mount', ['-o', `remount,${options}`, dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`remount ${dir}: ${r.stderr}`)
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir])
}

/** Bytes in use on the file system of `dir`. */
export function usedBytes(dir: string): number {
  const st = statfsSync(dir)
  return (st.blocks - st.bfree) * st.bsize
}

/** Bytes still free on the file system of `dir`. */
export function freeBytes(dir: string): number {
  const st = statfsSync(dir)
  return st.bavail * st.bsize
}
