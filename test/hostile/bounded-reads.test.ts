import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isProvisionError } from '../../src/errors.js'
import { readFileBounded } from '../../src/provision/fs/read-bounded.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { type BinResult, ensureBuilt, runBin, STACK_LINE, snapshot } from './helpers.js'

/**
 * Issue 14, defects 6 and 8 (EISDIR): every file fedforge reads must be a regular file, read with a cap
 * that does not trust stat(). `/dev/zero` (endless), a FIFO (blocks until a writer comes) and a folder
 * are refused at once with exit 2, whichever option names them. Each run has a time limit: a hang is a
 * failure, not a slow pass.
 */

const LIMIT_MS = 60_000

function expectRefused(r: BinResult, says: RegExp): void {
  expect(r.signal, 'killed at the time limit: the read hung or grew').toBeNull()
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).toMatch(says)
  expect(r.stderr).toMatch(/Hint: /)
  expect(r.stderr).not.toMatch(/internal error/)
  expect(r.stderr).not.toMatch(STACK_LINE)
}

describe('special files are refused, through the built bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-reads-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let kit: string

  beforeAll(async () => {
    await ensureBuilt()
    execFileSync('mkfifo', [join(dir, 'fifo')])
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo'))
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], dir)).code).toBe(0)
    kit = join(dir, 'ws', 'demo', 'prod_00', 'site-1')
  }, 300_000)

  const device = /is a device, not a regular file/
  const fifo = /is a named pipe \(FIFO\), not a regular file/
  const folder = /is a folder, not a regular file/

  it.each([
    ['-p /dev/zero', ['-p', '/dev/zero'], /the project file \/dev\/zero/, device],
    ['-p FIFO', ['-p', 'fifo'], /the project file fifo/, fifo],
    ['-p /etc', ['-p', '/etc'], /the project file \/etc/, folder],
    ['--add-client /dev/zero', ['-p', 'project.yml', '--add-client', '/dev/zero'], /--add-client/, device],
    ['--add-client FIFO', ['-p', 'project.yml', '--add-client', 'fifo'], /--add-client/, fifo],
    ['--add-user /dev/zero', ['-p', 'project.yml', '--add-user', '/dev/zero'], /--add-user/, device],
  ])('provision %s', async (_name, args, what, kind) => {
    const r = await runBin([...args, '-w', 'ws-refused'], dir, LIMIT_MS)
    expectRefused(r, what)
    expectRefused(r, kind)
    expect(snapshot(join(dir, 'ws-refused'))).toEqual([])
  })

  it.each([
    ['/dev/zero', device],
    ['fifo', fifo],
    ['/etc', folder],
  ])('verify --root %s', async (root, kind) => {
    const r = await runBin(['verify', '--root', root, kit], dir, LIMIT_MS)
    expectRefused(r, new RegExp(`the --root file ${root.replace(/\//g, '\\/')} `))
    expectRefused(r, kind)
    expect(r.stderr).toMatch(/Hint: Pass the rootCA\.pem you trust/)
  })

  it.each([
    ['/dev/zero', device],
    ['fifo', fifo],
  ])('inspect %s', async (file, kind) => {
    expectRefused(await runBin(['inspect', file], dir, LIMIT_MS), kind)
  })

  it.each([
    ['approve', 'the request file', ['approve', 'fifo', '-p', 'project.yml', '-w', 'ws', '--yes']],
    [
      'package',
      'the approval file',
      [
        'package',
        'fifo',
        '--request-dir',
        '.',
        '--root-fingerprint',
        `SHA256:${Array(32).fill('AB').join(':')}`,
      ],
    ],
  ])('%s FIFO: the distributed flow reads through the same bounded reader', async (_c, what, args) => {
    const r = await runBin(args, dir, LIMIT_MS)
    expectRefused(r, new RegExp(`${what} (.*/)?fifo `))
    expectRefused(r, fifo)
  })

  it('the kit files verify reads: a FIFO in place of fed_client.json fails the check, never hangs', async () => {
    const copy = join(dir, 'fifo-kit')
    execFileSync('cp', ['-r', kit, copy])
    rmSync(join(copy, 'startup', 'fed_client.json'))
    execFileSync('mkfifo', [join(copy, 'startup', 'fed_client.json')])
    const r = await runBin(['verify', copy], dir, LIMIT_MS)
    expect(r.signal).toBeNull()
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/FAIL {2}layout: .*startup\/fed_client\.json \(a named pipe\)/)
  })
})

describe('readFileBounded does not trust stat()', () => {
  it('a /proc file (size 0 by stat) is read whole, and refused over the cap', () => {
    expect(statSync('/proc/self/status').size).toBe(0)
    const text = readFileBounded('/proc/self/status', { what: 'file', maxBytes: 1 << 20 }).toString()
    expect(text).toMatch(/^Name:/m)
    let error: unknown
    try {
      readFileBounded('/proc/self/status', { what: 'test file', maxBytes: 64 })
    } catch (e) {
      error = e
    }
    expect(isProvisionError(error) && error.code).toBe('file-too-large')
    expect(String(error)).toMatch(
      /the test file \/proc\/self\/status is larger than 64 bytes; at most 64 bytes is read/,
    )
  })

  it('refuses a symbolic link when told not to follow one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedforge-nofollow-'))
    try {
      writeFileSync(join(dir, 'real'), 'x')
      execFileSync('ln', ['-s', 'real', join(dir, 'link')])
      expect(readFileBounded(join(dir, 'link'), { what: 'f', maxBytes: 10 }).toString()).toBe('x')
      expect(() => readFileBounded(join(dir, 'link'), { what: 'f', maxBytes: 10, noFollow: true })).toThrow(
        /is a symbolic link, which is not followed here/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
