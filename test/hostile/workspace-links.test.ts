import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { type BinResult, ensureBuilt, runBin, STACK_LINE, snapshot, useTempDir } from './helpers.js'

/**
 * Issue 14, defects 18 and 19: no write goes through a symbolic link. `-g` never creates the target of a
 * dangling link (with --force it replaces the link itself), and a symlinked project folder, state/,
 * state file, wip/ or prod_NN is refused (exit 3) before anything is written, so that the root key is
 * never written where a link points.
 */

function expectLinkRefused(r: BinResult, what: RegExp): void {
  expect(r.code, r.stderr).toBe(3)
  expect(r.stderr).toMatch(what)
  expect(r.stderr).toMatch(/is a symbolic link \(to .*\); fedforge does not follow links there/)
  expect(r.stderr).toMatch(/Hint: Replace the link with the real folder or file/)
  expect(r.stderr).not.toMatch(STACK_LINE)
}

describe('-g and a symbolic link', () => {
  const temp = useTempDir('fedforge-gen-')
  beforeAll(ensureBuilt, 300_000)

  it('a dangling link is an existing file: refused, its target is not created', async () => {
    const dir = temp()
    symlinkSync(join(dir, 'elsewhere.yml'), join(dir, 'project.yml'))
    const r = await runBin(['-g'], dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/project\.yml already exists; it was left as it is/)
    expect(existsSync(join(dir, 'elsewhere.yml'))).toBe(false)
    expect(lstatSync(join(dir, 'project.yml')).isSymbolicLink()).toBe(true)
  })

  it('with --force the link itself is replaced by the sample; what it pointed at is untouched', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'precious.txt'), 'keep me')
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'project.yml'))
    symlinkSync(join(dir, 'nowhere.yml'), join(dir, 'dangling.yml'))
    expect((await runBin(['-g', '--force'], dir)).code).toBe(0)
    expect((await runBin(['-g', '-p', 'dangling.yml', '--force'], dir)).code).toBe(0)
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me')
    expect(existsSync(join(dir, 'nowhere.yml'))).toBe(false)
    for (const f of ['project.yml', 'dangling.yml']) {
      expect(lstatSync(join(dir, f)).isFile()).toBe(true)
      expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^api_version: 3$/m)
    }
  })
})

describe('symbolic links in the workspace are refused', () => {
  const temp = useTempDir('fedforge-links-')
  const base = mkdtempSync(join(tmpdir(), 'fedforge-links-base-'))
  afterAll(() => rmSync(base, { recursive: true, force: true }))
  beforeAll(async () => {
    await ensureBuilt()
    writeFileSync(join(base, 'project.yml'), smallProjectYaml('demo'))
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], base)).code).toBe(0)
  }, 300_000)

  /** A copy of a provisioned workspace in `dir/ws`, and an empty folder `dir/outside` for links. */
  async function provisioned(): Promise<{ dir: string; project: string; outside: string }> {
    const dir = temp()
    cpSync(base, dir, { recursive: true })
    mkdirSync(join(dir, 'outside'))
    return { dir, project: join(dir, 'ws', 'demo'), outside: join(dir, 'outside') }
  }

  it('a symlinked state/ (new workspace): the root key is not written where it points', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo'))
    mkdirSync(join(dir, 'outside'))
    mkdirSync(join(dir, 'ws', 'demo'), { recursive: true })
    symlinkSync(join(dir, 'outside'), join(dir, 'ws', 'demo', 'state'))
    expectLinkRefused(await runBin(['-p', 'project.yml', '-w', 'ws'], dir), /workspace folder .*demo\/state /)
    expect(readdirSync(join(dir, 'outside'))).toEqual([])
    expect(readdirSync(join(dir, 'ws', 'demo'))).toEqual(['state'])
  })

  it('a symlinked state/ holding the state: refused, nothing written on either side', async () => {
    const { dir, project, outside } = await provisioned()
    renameSync(join(project, 'state'), join(outside, 'state'))
    symlinkSync(join(outside, 'state'), join(project, 'state'))
    const before = [snapshot(join(dir, 'ws')), snapshot(outside)]
    expectLinkRefused(await runBin(['-p', 'project.yml', '-w', 'ws'], dir), /demo\/state /)
    expect([snapshot(join(dir, 'ws')), snapshot(outside)]).toEqual(before)
  })

  it.each([
    [
      'state/cert.json',
      (p: string, o: string) => moveAndLink(join(p, 'state', 'cert.json'), join(o, 'cert.json')),
    ],
    ['prod_00', (p: string, o: string) => moveAndLink(join(p, 'prod_00'), join(o, 'prod_00'))],
    ['wip', (p: string, o: string) => symlinkSync(o, join(p, 'wip'))],
  ])('a symlinked %s: refused (exit 3), nothing written', async (name, plant) => {
    const { dir, project, outside } = await provisioned()
    plant(project, outside)
    const before = [snapshot(join(dir, 'ws')), snapshot(outside)]
    expectLinkRefused(await runBin(['-p', 'project.yml', '-w', 'ws'], dir), new RegExp(`demo/${name} `))
    expect([snapshot(join(dir, 'ws')), snapshot(outside)]).toEqual(before)
  })

  it('a symlinked project folder: refused before the lock file is written into it', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo'))
    mkdirSync(join(dir, 'outside'))
    mkdirSync(join(dir, 'ws'))
    symlinkSync(join(dir, 'outside'), join(dir, 'ws', 'demo'))
    expectLinkRefused(await runBin(['-p', 'project.yml', '-w', 'ws'], dir), /the project folder .*ws\/demo /)
    expect(readdirSync(join(dir, 'outside'))).toEqual([])
  })
})

function moveAndLink(from: string, to: string): void {
  renameSync(from, to)
  symlinkSync(to, from)
}
