import { spawn } from 'node:child_process'
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isProvisionError } from '../../src/errors.js'
import { loadProject } from '../../src/provision/project/load.js'
import { BIN, type BinResult, collect, ensureBuilt, STACK_LINE, snapshot } from './helpers.js'

/**
 * Issue 7, bounds: alias bombs, a 100 MB project file, 100,000 participants, deep nesting: a clear error
 * (exit 2) from a process with a capped heap and a time limit: never an out-of-memory crash or a hang.
 */

/** The bin with a 768 MB heap cap; killed after the time limit (the exit code then is null). */
function runCapped(args: string[], cwd: string, timeoutMs = 180_000): Promise<BinResult> {
  const child = spawn(process.execPath, ['--max-old-space-size=768', BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return collect(child, timeoutMs)
}

function bomb(levels: number, width: number): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`]
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    )
  return `${lines.join('\n')}\n`
}

function manyParticipants(n: number): string {
  const parts = [
    'api_version: 3\nname: big\nparticipants:\n  - name: server.example.com\n    type: server\n    org: o\n',
  ]
  for (let i = 0; i < n; i++) parts.push(`  - name: site-${i}\n    type: client\n    org: o\n`)
  return parts.join('')
}

function expectRefused(r: BinResult, says: string | RegExp, ws: string): void {
  expect(r.signal, 'killed: the run hung or ran out of its time').toBeNull()
  expect(r.code, r.stderr.slice(0, 2000)).toBe(2)
  expect(r.stderr).toMatch(says)
  expect(r.stderr).not.toMatch(STACK_LINE)
  expect(r.stderr.length).toBeLessThan(20_000)
  expect(snapshot(ws)).toEqual([])
}

describe('bounded input, through the built bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-bounds-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  beforeAll(ensureBuilt, 300_000)

  it('an alias bomb (9^9 expansions) is refused', async () => {
    writeFileSync(join(dir, 'bomb.yml'), bomb(9, 9))
    expectRefused(
      await runCapped(['-p', 'bomb.yml', '-w', 'ws-bomb'], dir),
      /alias bomb/,
      join(dir, 'ws-bomb'),
    )
  })

  it('a 100 MB project file is refused before it is read', async () => {
    const fd = openSync(join(dir, 'huge.yml'), 'w')
    ftruncateSync(fd, 100 * 1024 * 1024) // sparse: fast to make
    closeSync(fd)
    expectRefused(
      await runCapped(['-p', 'huge.yml', '-w', 'ws-huge'], dir),
      /100\.0 MiB; at most 10 MiB/,
      join(dir, 'ws-huge'),
    )
  })

  it('100,000 participants are refused with one clear line', async () => {
    writeFileSync(join(dir, 'many.yml'), manyParticipants(100_000))
    const r = await runCapped(['-p', 'many.yml', '-w', 'ws-many'], dir)
    expectRefused(
      r,
      /participants \(many\.yml:3:1\): expected at most 10000 participants, got 100001/,
      join(dir, 'ws-many'),
    )
  })

  it('a list nested 20,000 deep is refused with a short key path', async () => {
    writeFileSync(
      join(dir, 'deep.yml'),
      `api_version: 3\nname: d\nparticipants: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    )
    const r = await runCapped(['-p', 'deep.yml', '-w', 'ws-deep'], dir)
    expectRefused(r, /participants\[0\]/, join(dir, 'ws-deep'))
    expect(r.stderr.length).toBeLessThan(2_000)
  })
})

describe('bounded input, in-process', () => {
  it.each([
    ['a wide alias bomb', bomb(4, 200)],
    ['a deep alias bomb', bomb(40, 2)],
    [
      'a mapping nested 5,000 deep',
      `api_version: 3\nname: d\nparticipants:\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} x\n`,
    ],
    ['10,000 problems', manyParticipants(10_000).replaceAll('org: o', 'org: "bad org"')],
  ])('%s: a ProvisionError, not a crash', (_what, text) => {
    let error: unknown
    try {
      loadProject(text)
    } catch (e) {
      error = e
    }
    expect(isProvisionError(error), String(error)).toBe(true)
  })
})
