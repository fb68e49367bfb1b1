import { X509Certificate } from 'node:crypto'
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../../src/errors.js'
import type { KitReport } from '../../../src/provision/verify/types.js'
import { verifyKit } from '../../../src/provision/verify/verify-kit.js'
import { buildSignedKits, makeTempDir } from '../../helpers/pki-fixtures.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const DAY = 86_400_000

const failures = (r: KitReport) =>
  r.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.message}`)
const status = (r: KitReport, name: string) => r.checks.filter((c) => c.name === name).map((c) => c.status)

describe('verifyKit', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let kits: Awaited<ReturnType<typeof buildSignedKits>>
  beforeEach(async () => {
    tmp = makeTempDir()
    kits = await buildSignedKits(tmp.dir, NOW)
  })
  afterEach(() => tmp.cleanup())

  it('passes every kit of a fresh project and prints the root fingerprint', async () => {
    const fingerprint = new X509Certificate(kits.ctx.pki!.root.certPem).fingerprint256
    for (const name of ['server1', 'site-1', 'site-2', 'admin@nvidia.com']) {
      const report = await verifyKit(kits.kit(name), { now: NOW })
      expect(failures(report)).toEqual([])
      expect(report.checks.every((c) => c.status === 'ok')).toBe(true)
      expect(report.rootFingerprint).toBe(fingerprint)
      expect(report.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['layout', 'chain', 'profile', 'identity', 'key', 'expiry', 'signatures']),
      )
    }
  })

  it.each([
    [
      'changed',
      (k: string) => appendFileSync(join(k, 'startup/fed_client.json'), ' '),
      'startup/fed_client.json does not match',
    ],
    [
      'added',
      (k: string) => writeFileSync(join(k, 'local/extra.json'), '{}'),
      'local/extra.json is not signed',
    ],
    [
      'removed',
      (k: string) => rmSync(join(k, 'local/resources.json.default')),
      'local/resources.json.default is signed but missing',
    ],
    [
      'renamed folder',
      (k: string) => rmSync(join(k, 'local/custom'), { recursive: true }),
      'local/custom is signed but missing',
    ],
  ])('fails naming a %s file in a signed folder', async (_what, tamper, message) => {
    tamper(kits.kit('site-1'))
    const report = await verifyKit(kits.kit('site-1'), { now: NOW })
    expect(report.ok).toBe(false)
    expect(failures(report).join('\n')).toContain(message)
  })

  it('fails a swapped rootCA.pem and a certificate from another root', async () => {
    const other = await buildSignedKits(join(tmp.dir, 'other'), NOW, 'other_project')
    const given = kits.ctx.pki!.root.certPem
    copyFileSync(
      join(other.kit('site-1'), 'startup/rootCA.pem'),
      join(kits.kit('site-1'), 'startup/rootCA.pem'),
    )
    const swapped = await verifyKit(kits.kit('site-1'), { now: NOW, rootPem: given })
    expect(failures(swapped).join('\n')).toMatch(/chain: startup\/rootCA\.pem is not the given root CA/)
    for (const f of ['client.crt', 'client.key']) {
      copyFileSync(join(other.kit('site-2'), 'startup', f), join(kits.kit('site-2'), 'startup', f))
    }
    const foreign = await verifyKit(kits.kit('site-2'), { now: NOW })
    expect(failures(foreign).join('\n')).toMatch(/chain: startup\/client\.crt is not issued by the root CA/)
  })

  it('fails an expired certificate and warns under 30 days', async () => {
    const expired = await verifyKit(kits.kit('server1'), { now: new Date(NOW.getTime() + 361 * DAY) })
    expect(status(expired, 'expiry')).toEqual(['fail'])
    const soon = await verifyKit(kits.kit('server1'), { now: new Date(NOW.getTime() + 340 * DAY) })
    expect(status(soon, 'expiry')).toEqual(['warn'])
    expect(soon.ok).toBe(true)
  })

  it('fails secret material in a server or admin kit', async () => {
    copyFileSync(
      join(kits.kit('site-1'), 'startup/client_context.tenseal'),
      join(kits.kit('server1'), 'local/client_context.tenseal'),
    )
    const server = await verifyKit(kits.kit('server1'), { now: NOW })
    // The fixture's contexts are real, so the scan finds the secret key by its content.
    expect(failures(server).join('\n')).toMatch(/secrets: .*local\/client_context\.tenseal \(HE secret key\)/)
    mkdirSync(join(kits.kit('admin@nvidia.com'), 'transfer'))
    copyFileSync(
      join(kits.kit('site-1'), 'startup/client.key'),
      join(kits.kit('admin@nvidia.com'), 'transfer/k.pem'),
    )
    const admin = await verifyKit(kits.kit('admin@nvidia.com'), { now: NOW })
    expect(failures(admin).join('\n')).toMatch(/secrets: .*transfer\/k\.pem \(PEM private key\)/)
  })

  it('fails a readable key, a key of another participant and a wrong identity', async () => {
    chmodSync(join(kits.kit('site-1'), 'startup/client.key'), 0o644)
    expect(failures(await verifyKit(kits.kit('site-1'), { now: NOW })).join('\n')).toMatch(
      /key: .*readable by others/,
    )
    copyFileSync(
      join(kits.kit('site-1'), 'startup/client.key'),
      join(kits.kit('site-2'), 'startup/client.key'),
    )
    expect(failures(await verifyKit(kits.kit('site-2'), { now: NOW })).join('\n')).toMatch(
      /key: .*does not match/,
    )
    const cfg = join(kits.kit('admin@nvidia.com'), 'startup/fed_admin.json')
    writeFileSync(
      cfg,
      readFileSync(cfg, 'utf8').replace('"server_identity":"server1"', '"server_identity":"server2"'),
    )
    expect(failures(await verifyKit(kits.kit('admin@nvidia.com'), { now: NOW })).join('\n')).toMatch(
      /identity: the server identity "server2" is not the server certificate CN "server1"/,
    )
  })

  it('throws a ProvisionError for a missing kit folder', async () => {
    await expect(verifyKit(join(tmp.dir, 'nope'))).rejects.toBeInstanceOf(ProvisionError)
  })
})
