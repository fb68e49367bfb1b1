import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { ensureBuilt, runBin, STACK_LINE, snapshot } from './helpers.js'

/**
 * Issue 14, defect 3: state whose root key does not match its root certificate (or a leaf that the root
 * did not issue, or a key that is not its certificate's) is refused when it is loaded: exit 2, the
 * problem named, nothing written. Before, it was used and every kit failed verification.
 */

type State = Record<string, string | { cert: string; pri_key: string }>
const PROJECT = smallProjectYaml('demo', { clients: 2 })

describe('inconsistent state/cert.json, through the built bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-state-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let good: State
  let other: State
  let n = 0

  beforeAll(async () => {
    await ensureBuilt()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    for (const ws of ['base', 'other']) {
      const r = await runBin(['-p', 'project.yml', '-w', ws], dir)
      expect(r.code, r.stderr).toBe(0)
    }
    const read = (ws: string) =>
      JSON.parse(readFileSync(join(dir, ws, 'demo', 'state', 'cert.json'), 'utf8')) as State
    good = read('base')
    other = read('other')
  }, 300_000)

  const entry = (s: State, name: string) => s[name] as { cert: string; pri_key: string }

  async function expectRefused(tamper: (s: State) => void, says: RegExp): Promise<void> {
    const ws = join(dir, `case-${n++}`)
    cpSync(join(dir, 'base'), ws, { recursive: true })
    const state = structuredClone(good)
    tamper(state)
    const file = join(ws, 'demo', 'state', 'cert.json')
    writeFileSync(file, JSON.stringify(state), { mode: 0o600 })
    const before = snapshot(ws)
    const text = readFileSync(file, 'utf8')
    const r = await runBin(['-p', 'project.yml', '-w', ws], dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(
      /cert\.json does not hold a consistent root CA and its certificates; nothing was written/,
    )
    expect(r.stderr).toMatch(says)
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(snapshot(ws), 'nothing written').toEqual(before)
    expect(readFileSync(file, 'utf8')).toBe(text)
  }

  it('a root key that is not the root certificate’s key', async () => {
    await expectRefused((s) => {
      s['root_pri_key'] = entry(s, 'site-1').pri_key
    }, /"root_pri_key" is not the key of "root_cert"/)
  })

  it('the root certificate of another CA (its key stays)', async () => {
    await expectRefused((s) => {
      s['root_cert'] = other['root_cert'] as string
    }, /"root_pri_key" is not the key of "root_cert"/)
  })

  it('a leaf certificate issued by another root, with its own key', async () => {
    await expectRefused((s) => {
      s['site-2'] = entry(other, 'site-2')
    }, /the certificate of "site-2" is not issued by the root CA in the same file/)
  })

  it('a leaf whose key is another participant’s', async () => {
    await expectRefused((s) => {
      entry(s, 'site-1').pri_key = entry(s, 'admin@example.com').pri_key
    }, /the key of "site-1" does not match its certificate/)
  })

  it('every leaf is checked, also one the project no longer lists', async () => {
    await expectRefused((s) => {
      s['old-site'] = entry(other, 'site-1')
    }, /the certificate of "old-site" is not issued by the root CA/)
  })

  it('the untouched state provisions', async () => {
    const r = await runBin(['-p', 'project.yml', '-w', join(dir, 'base')], dir)
    expect(r.code, r.stderr).toBe(0)
  })
})
