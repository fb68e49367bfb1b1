import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import { acquireLock } from '../../src/provision/lock.js'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { collect, ensureBuilt, runBin, startBin, useTempDir } from './helpers.js'

const PROJECT = smallProjectYaml('busy', { clients: 2 })

/** The pid of a process that has exited (so no process has it, for a while). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  })
  return Number(r.stdout)
}

function lockFile(ws: string): string {
  return join(ws, 'busy', '.provision.lock')
}

function seedLock(ws: string, content: string): void {
  mkdirSync(join(ws, 'busy'), { recursive: true })
  writeFileSync(lockFile(ws), content)
}

const prods = (ws: string) =>
  readdirSync(join(ws, 'busy'))
    .filter((n) => n.startsWith('prod_'))
    .sort()

describe('two provisions on one workspace', () => {
  const temp = useTempDir()
  beforeAll(ensureBuilt, 300_000)

  it('the second fails fast with exit 3 naming the pid that holds the lock', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    const first = startBin(['-p', 'project.yml', '-w', 'ws'], dir)
    const firstDone = collect(first)
    // Wait until the first run holds the lock (it prints "- workspace" once its builders run), then
    // freeze it (SIGSTOP) so that it surely still holds the lock while the second run starts.
    await new Promise<void>((resolve) => {
      first.stderr?.on('data', (d: Buffer) => d.toString().includes('- workspace') && resolve())
    })
    first.kill('SIGSTOP')
    const second = await runBin(['-p', 'project.yml', '-w', 'ws'], dir, 60_000).finally(() =>
      first.kill('SIGCONT'),
    )
    expect(second.code).toBe(3)
    expect(second.stderr).toContain(`pid ${first.pid}`)
    expect(second.stderr).not.toMatch(/^\s+at /m)
    const r = await firstDone
    expect(r.code, r.stderr).toBe(0)
    expect(prods(join(dir, 'ws'))).toEqual(['prod_00'])
    expect(existsSync(lockFile(join(dir, 'ws')))).toBe(false)
  })

  it.each([
    [
      'a dead pid',
      () => JSON.stringify({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00.000Z' }),
    ],
    ['an unreadable lock file', () => '{"pid": 12'],
  ])('recovers a stale lock left with %s', async (_what, content) => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    seedLock(join(dir, 'ws'), content())
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir, 120_000)
    expect(r.code, r.stderr).toBe(0)
    expect(prods(join(dir, 'ws'))).toEqual(['prod_00'])
    expect(existsSync(lockFile(join(dir, 'ws')))).toBe(false)
  })

  it('refuses a lock held on another host (exit 3), naming the host', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    seedLock(
      join(dir, 'ws'),
      JSON.stringify({ pid: 1, host: 'elsewhere.example', since: '2020-01-01T00:00:00Z' }),
    )
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir, 60_000)
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('elsewhere.example')
    expect(prods(join(dir, 'ws'))).toEqual([])
  })

  it('six runs started at once on a stale lock: never two at a time, every prod_NN complete', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    const ws = join(dir, 'ws')
    seedLock(ws, JSON.stringify({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00.000Z' }))
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => runBin(['-p', 'project.yml', '-w', 'ws'], dir)),
    )
    for (const r of runs) expect([0, 3], r.stderr).toContain(r.code)
    const ok = runs.filter((r) => r.code === 0).length
    expect(ok).toBeGreaterThanOrEqual(1)
    expect(prods(ws)).toHaveLength(ok)
    for (const prod of prods(ws)) {
      for (const kit of readdirSync(join(ws, 'busy', prod))) {
        const report = await verifyKit(join(ws, 'busy', prod, kit))
        expect(
          report.checks.filter((c) => c.status === 'fail'),
          `${prod}/${kit}`,
        ).toEqual([])
      }
    }
  }, 300_000)
})

describe('acquireLock', () => {
  const temp = useTempDir()

  it('refuses a lock this (running) process holds, with exit code 3, and releases it', () => {
    const path = join(temp(), 'lock')
    const release = acquireLock(path, new Date())
    let error: unknown
    try {
      acquireLock(path, new Date())
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ProvisionError)
    expect((error as ProvisionError).exitCode).toBe(3)
    expect((error as ProvisionError).message).toContain(`pid ${process.pid}`)
    release()
    expect(existsSync(path)).toBe(false)
    acquireLock(path, new Date())()
  })

  it('writes the lock whole (aside, then linked) and leaves no temp file beside it', () => {
    const dir = temp()
    const path = join(dir, 'lock')
    const release = acquireLock(path, new Date())
    // Only the lock itself is left beside it (no temp file), and it is complete JSON.
    expect(readdirSync(dir)).toEqual(['lock'])
    release()
  })
})
