import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { decodeTensealContext } from '../../src/he-builder/tenseal-codec.js'
import { Layout } from '../../src/provision/layout.js'
import { parseCertInfo } from '../../src/provision/pki/cert-info.js'
import { filesUnder } from '../provision/distributed/helpers.js'
import {
  bin,
  type Machines,
  ok,
  requestAndApprove,
  searchable,
  secretNeedles,
  useMachines,
} from './distributed-helpers.js'

const machines = useMachines()

const pemDer = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\n/g, ''), 'base64')
const contains = (haystacks: Buffer[], needles: Buffer[]) =>
  needles.some((n) => haystacks.some((h) => h.includes(n)))

/** Which files under `dir` hold any of the needles (in their bytes or in a base64 string inside). */
function holders(dir: string, needles: Buffer[]): string[] {
  return [...filesUnder(dir)]
    .filter(([, bytes]) => contains(searchable(bytes), needles))
    .map(([path]) => path)
}

const kit = (m: Machines, name: string) => join(m.site, 'kits', name)

function packageKit(m: Machines, name: string, fingerprint: string) {
  return bin(
    [
      'package',
      `${name}.approval.json`,
      '--request-dir',
      'req',
      '--root-fingerprint',
      fingerprint,
      '-o',
      `kits/${name}`,
      '--json',
    ],
    m.site,
  )
}

async function context(path: string): Promise<HeContext> {
  return HeContext.fromBytes(new Uint8Array(readFileSync(path)))
}

describe('distributed provisioning through the built bin (HE project)', () => {
  it('site-9: its key never reaches the admin, the HE context travels sealed, and site-9 decrypts the aggregate', async () => {
    const m = machines()
    const { rootFingerprint } = requestAndApprove(m, ['--name', 'site-9', '--org', 'hospital_c'])
    const packaged = JSON.parse(ok(packageKit(m, 'site-9', rootFingerprint)).stdout) as {
      report: { ok: boolean }
    }
    expect(packaged.report.ok).toBe(true)
    ok(
      bin(
        [
          'verify',
          'kits/site-9',
          '--root',
          join(m.projectDir, 'prod_00', 'server1', 'startup', Layout.rootCert),
        ],
        m.site,
      ),
    )

    const keyPem = readFileSync(join(m.site, 'req', 'site-9.key'), 'utf8')
    const keyNeedles = [
      ...keyPem
        .split('\n')
        .filter((l) => l.length === 64)
        .map((l) => Buffer.from(l)),
      ...secretNeedles(pemDer(keyPem)),
    ]
    expect(holders(m.site, keyNeedles).sort()).toEqual(['kits/site-9/startup/client.key', 'req/site-9.key'])
    expect(holders(m.admin, keyNeedles)).toEqual([])

    const approval = readFileSync(join(m.site, 'site-9.approval.json'))
    const envelope = Buffer.from(
      (JSON.parse(approval.toString('utf8')) as { sealed: { envelope: string }[] }).sealed[0]!.envelope,
      'base64',
    )
    await expect(HeContext.fromBytes(new Uint8Array(envelope))).rejects.toThrow()
    const heState = new Uint8Array(readFileSync(join(m.projectDir, Layout.stateDir, Layout.heStateFile)))
    const secretKey = Buffer.from(decodeTensealContext(heState).private!.secretKey!)
    const skNeedles = secretNeedles(secretKey, 32, 512)
    expect(skNeedles.length).toBeGreaterThan(50)
    expect(contains(searchable(approval), skNeedles)).toBe(false)
    expect(contains([readFileSync(join(kit(m, 'site-9'), 'startup', Layout.clientContext))], skNeedles)).toBe(
      true,
    )

    const prod = join(m.projectDir, 'prod_00')
    const [site1, site2, server, site9] = await Promise.all([
      context(join(prod, 'site-1', 'startup', Layout.clientContext)),
      context(join(prod, 'site-2', 'startup', Layout.clientContext)),
      context(join(prod, 'server1', 'startup', Layout.serverContext)),
      context(join(kit(m, 'site-9'), 'startup', Layout.clientContext)),
    ])
    const xs = [1.5, -2, 0.25, 10]
    const ys = [0.5, 4, -0.75, 2]
    const sum = CkksVector.fromBytes(server, CkksVector.encrypt(site1, xs).toBytes())
    const aggregate = sum
      .add(CkksVector.fromBytes(server, CkksVector.encrypt(site2, ys).toBytes()))
      .mulScalar(0.5)
      .toBytes()
    const mean = CkksVector.fromBytes(site9, aggregate).decrypt()
    for (const [i, x] of xs.entries()) expect(Math.abs(mean[i]! - (x + ys[i]!) / 2)).toBeLessThan(1e-4)
    for (const c of [site1, site2, server, site9]) c.delete()
  })

  it('an admin (--type admin --role lead): its kit verifies, names it, and holds its own key only', () => {
    const m = machines()
    const name = 'ops@hospital-c.org'
    const { rootFingerprint } = requestAndApprove(m, [
      '--name',
      name,
      '--org',
      'hospital_c',
      '--type',
      'admin',
      '--role',
      'lead',
    ])
    ok(packageKit(m, name, rootFingerprint))
    ok(bin(['verify', `kits/${name}`], m.site))
    const startup = join(kit(m, name), 'startup')
    const fedAdmin = JSON.parse(readFileSync(join(startup, Layout.fedAdmin), 'utf8')) as {
      admin: { username: string }
    }
    expect(fedAdmin.admin.username).toBe(name)
    expect(parseCertInfo(readFileSync(join(startup, Layout.clientCert), 'utf8'))).toMatchObject({
      cn: name,
      org: 'hospital_c',
      role: 'lead',
    })
    expect(
      readFileSync(join(startup, Layout.clientKey)).equals(readFileSync(join(m.site, 'req', `${name}.key`))),
    ).toBe(true)
    expect(readdirSync(startup)).not.toContain(Layout.clientContext)
  })
})
