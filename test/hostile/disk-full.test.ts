import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { CLIENT_PY } from '../recipe/helpers.js'
import {
  type BinResult,
  ensureBuilt,
  listFiles,
  runBin,
  STACK_LINE,
  snapshot,
  useTempDir,
} from './helpers.js'
import { freeBytes, mountTmpfs, remount, TMPFS_SKIP_REASON, unmount, usedBytes } from './tmpfs.js'

/**
 * Issue 14, defects 1 and 8: a full disk and a read-only workspace, on real small file systems (tmpfs).
 * Every write is whole or absent: a full disk while the kits, the zips or the state are written fails
 * with exit 3 and a clear message, and leaves the workspace as it was (the CA state above all); a
 * read-only -w fails with exit 2. Never "internal error".
 */

const PROJECT = smallProjectYaml('demo')
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const PAGE = 4096

function expectRefused(r: BinResult, code: number, says: RegExp): void {
  expect(r.signal, 'the run was killed').toBeNull()
  expect(r.code, r.stderr).toBe(code)
  expect(r.stderr).toMatch(says)
  expect(r.stderr).not.toMatch(/internal error/)
  expect(r.stderr).not.toMatch(STACK_LINE)
}

/** Leaves `free` bytes (rounded down to pages) on the file system of `dir`, with a filler file. */
function fillTo(dir: string, free: number): string {
  const filler = join(dir, 'filler')
  const size = Math.max(0, freeBytes(dir) - free)
  writeFileSync(filler, Buffer.alloc(Math.floor(size / PAGE) * PAGE))
  return filler
}

describe.skipIf(TMPFS_SKIP_REASON !== undefined)('a full disk (tmpfs)', () => {
  const temp = useTempDir('fedforge-full-')
  const mounts: string[] = []
  beforeAll(ensureBuilt, 300_000)
  afterEach(() => {
    for (const m of mounts.splice(0)) unmount(m)
  })
  const mount = (dir: string, bytes: number, ro = false) => {
    mkdirSync(dir, { recursive: true })
    mountTmpfs(dir, bytes, ro)
    mounts.push(dir)
    return dir
  }

  /** A workspace provisioned once, its state/ moved onto a 64 KiB tmpfs. */
  async function workspaceWithSmallState(dir: string): Promise<string> {
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], dir)).code).toBe(0)
    const state = join(dir, 'ws', 'demo', 'state')
    const saved = readFileSync(join(state, 'cert.json'))
    rmSync(state, { recursive: true })
    mount(state, 64 * 1024)
    writeFileSync(join(state, 'cert.json'), saved, { mode: 0o600 })
    return state
  }

  it('state: --add-client on a full disk exits 3 and leaves state/cert.json whole; a rerun works', async () => {
    const dir = temp()
    const state = await workspaceWithSmallState(dir)
    writeFileSync(join(dir, 'add.yml'), 'name: site-9\norg: org_a\n')
    const before = sha(join(state, 'cert.json'))
    const filler = fillTo(state, PAGE) // the new cert.json (about 16 KB) cannot be written beside the old
    const r = await runBin(['-p', 'project.yml', '-w', 'ws', '--add-client', 'add.yml'], dir)
    expectRefused(
      r,
      3,
      /cannot write .*state\/cert\.json: the disk is full \(ENOSPC\); cert\.json was left as it was/,
    )
    expect(sha(join(state, 'cert.json'))).toBe(before)
    expect(readdirSync(state).sort()).toEqual(['cert.json', 'filler'])
    expect(readdirSync(join(dir, 'ws', 'demo')).sort()).toEqual(['prod_00', 'state'])
    rmSync(filler)
    const rerun = await runBin(['-p', 'project.yml', '-w', 'ws', '--add-client', 'add.yml'], dir)
    expect(rerun.code, rerun.stderr).toBe(0)
    const cert = JSON.parse(readFileSync(join(state, 'cert.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(cert)).toContain('site-9')
    expect(readdirSync(join(dir, 'ws', 'demo', 'prod_01'))).toContain('site-9')
  }, 120_000)

  /** Bytes a run takes on a fresh tmpfs (kits, zips, state), measured on one of the same kind. */
  async function usage(dir: string, extra: string[]): Promise<number> {
    const fs = mount(join(dir, `probe${extra.join('')}`), 16 * 1024 * 1024)
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    const base = usedBytes(fs)
    expect((await runBin(['-p', 'project.yml', '-w', fs, ...extra], dir)).code).toBe(0)
    return usedBytes(fs) - base
  }

  it('kits: a disk that fills while the kits are written: exit 3, no prod_NN, nothing left', async () => {
    const dir = temp()
    const need = await usage(dir, [])
    const fs = mount(join(dir, 'small'), Math.floor(need / 2 / PAGE) * PAGE)
    const r = await runBin(['-p', 'project.yml', '-w', fs], dir)
    expectRefused(r, 3, /cannot write .*\/demo\/wip\/.*: the disk is full \(ENOSPC\)/)
    expect(snapshot(fs)).toEqual([])
  }, 120_000)

  it('zips: a disk that fills while the zips are written: exit 3, no prod_NN, no state', async () => {
    const dir = temp()
    const kits = await usage(dir, [])
    const zips = (await usage(dir, ['--zip'])) - kits
    expect(zips).toBeGreaterThan(4 * PAGE)
    const fs = mount(join(dir, 'small'), 16 * 1024 * 1024)
    const filler = fillTo(fs, kits + Math.floor(zips / 2)) // the kits fit, their zips do not
    const r = await runBin(['-p', 'project.yml', '-w', join(fs, 'ws'), '--zip'], dir)
    expectRefused(r, 3, /cannot write .*\.zip: the disk is full \(ENOSPC\)/)
    expect(listFiles(fs)).toEqual([filler])
  }, 120_000)

  it('job export onto a full disk: exit 3 with a message, no job folder, no temp folder left', async () => {
    const dir = temp()
    const builders = ['workspace', 'static', 'cert', 'nvflare.lighter.impl.he.HEBuilder', 'signature']
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo', { clients: 2, builders }))
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], dir)).code).toBe(0)
    const out = mount(join(dir, 'out'), 64 * 1024)
    fillTo(out, 2 * PAGE)
    const kits = join(dir, 'ws', 'demo', 'prod_00')
    const r = await runBin(['job', 'fedavg-he', '--kits', kits, '--train-script', CLIENT_PY, '-o', out], dir)
    expectRefused(r, 3, /cannot write the job folder .*fedavg_he: .*disk/)
    expect(readdirSync(out)).toEqual(['filler'])
  })
})

describe.skipIf(TMPFS_SKIP_REASON !== undefined)('a read-only workspace (tmpfs, ro)', () => {
  const temp = useTempDir('fedforge-ro-')
  beforeAll(ensureBuilt, 300_000)

  it('-w on a read-only file system, new or already provisioned: exit 2 with a hint', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    const ws = join(dir, 'ro')
    mkdirSync(ws)
    mountTmpfs(ws, 1024 * 1024, true)
    try {
      const fresh = await runBin(['-p', 'project.yml', '-w', ws], dir)
      expectRefused(fresh, 2, /cannot create the workspace folder .*: the file system is read-only \(EROFS\)/)
      expect(fresh.stderr).toMatch(/Hint: Choose a folder on a writable file system with -w DIR/)
      remount(ws, 'rw')
      expect((await runBin(['-p', 'project.yml', '-w', ws], dir)).code).toBe(0)
      const before = snapshot(ws)
      remount(ws, 'ro')
      const again = await runBin(['-p', 'project.yml', '-w', ws], dir)
      expectRefused(again, 2, /cannot create the lock file .*: the file system is read-only \(EROFS\)/)
      expect(snapshot(ws)).toEqual(before)
    } finally {
      unmount(ws)
    }
  }, 120_000)
})

if (TMPFS_SKIP_REASON !== undefined) {
  describe('a full disk and a read-only workspace', () => {
    it.skip(`skipped: ${TMPFS_SKIP_REASON}`, () => {})
  })
}
