import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { ensureBuilt, runBin } from './helpers.js'

/**
 * Issue 7, tamper evidence through `provision verify`: a changed, added or removed file in a signed folder,
 * a swapped rootCA.pem, a certificate from another project's root, an expired certificate.
 */

const project = (name: string) => smallProjectYaml(name)

describe('provision verify detects tampering', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-tamper-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const prod = (name: string) => join(dir, 'ws', name, 'prod_00')
  let n = 0
  /** A fresh copy of one of our kits to tamper with. */
  const copyKit = (kit: string) => {
    const to = join(dir, `copy-${n++}`, kit)
    cpSync(join(prod('ours'), kit), to, { recursive: true })
    return to
  }
  const ourRoot = () => join(prod('ours'), 'site-1', 'startup', 'rootCA.pem')
  const verify = (kit: string, root = true) =>
    runBin(['verify', kit, ...(root ? ['--root', ourRoot()] : [])], dir, 60_000)

  beforeAll(async () => {
    await ensureBuilt()
    for (const name of ['ours', 'theirs']) {
      writeFileSync(join(dir, `${name}.yml`), project(name))
      const r = await runBin(['-p', `${name}.yml`, '-w', 'ws'], dir)
      expect(r.code, r.stderr).toBe(0)
    }
  }, 300_000)

  it('passes the untouched kits', async () => {
    for (const kit of ['server.example.com', 'site-1', 'admin@example.com']) {
      const r = await verify(join(prod('ours'), kit))
      expect(r.code, r.stdout).toBe(0)
    }
  })

  it.each([
    [
      'a changed file',
      (k: string) => appendFileSync(join(k, 'startup', 'fed_client.json'), ' '),
      /startup\/fed_client\.json does not match its signature/,
    ],
    [
      'an added file',
      (k: string) => writeFileSync(join(k, 'local', 'extra.json'), '{}'),
      /local\/extra\.json is not signed/,
    ],
    [
      'a removed file',
      (k: string) => unlinkSync(join(k, 'startup', 'stop_fl.sh')),
      /startup\/stop_fl\.sh is signed but missing/,
    ],
    [
      "another project's rootCA.pem",
      (k: string) =>
        copyFileSync(
          join(prod('theirs'), 'site-1', 'startup', 'rootCA.pem'),
          join(k, 'startup', 'rootCA.pem'),
        ),
      /FAIL/,
    ],
  ])('fails (exit 1) on %s', async (_what, tamper, says) => {
    const kit = copyKit('site-1')
    tamper(kit)
    for (const withRoot of [true, false]) {
      const r = await verify(kit, withRoot)
      expect(r.code, r.stdout).toBe(1)
      expect(r.stdout).toMatch(says)
    }
  })

  it("fails on a kit whose certificate comes from another project's root", async () => {
    const kit = copyKit('site-1')
    for (const f of ['client.crt', 'client.key']) {
      copyFileSync(join(prod('theirs'), 'site-1', 'startup', f), join(kit, 'startup', f))
    }
    const r = await verify(kit)
    expect(r.code, r.stdout).toBe(1)
    expect(r.stdout).toMatch(/FAIL {2}chain/)
    // Their whole kit, consistent in itself, is refused against our root.
    const whole = await verify(join(prod('theirs'), 'site-1'))
    expect(whole.code, whole.stdout).toBe(1)
  })

  it('fails on an expired certificate (the clock moved past notAfter)', async () => {
    const later = new Date(Date.now() + 400 * 86_400_000)
    const report = await verifyKit(join(prod('ours'), 'site-1'), { now: later })
    expect(report.ok).toBe(false)
    expect(report.checks.find((c) => c.name === 'expiry')?.status).toBe('fail')
  })
})
