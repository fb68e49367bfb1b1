import { constants, createPublicKey, verify } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCertInfo } from '../../../src/provision/pki/cert-info.js'
import { keyMatchesCert } from '../../../src/provision/pki/participant-certs.js'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { verifyKit } from '../../../src/provision/verify/verify-kit.js'
import { chainsTo, makeTempDir } from '../../helpers/pki-fixtures.js'

const YAML = `
api_version: 3
name: pki_e2e
description: end-to-end PKI test
participants:
  - { name: server.example.com, type: server, org: coordinator, fed_learn_port: 8002, host_names: [fl.example.com, 10.0.0.5] }
  - { name: site-1, type: client, org: hospital_a, listening_host: site-1-lh }
  - { name: site-2, type: client, org: hospital_b }
  - { name: admin@example.com, type: admin, org: coordinator, role: project_admin }
  - { name: it@a.example.com, type: admin, org: hospital_a, role: org_admin }
  - { name: lead@b.example.com, type: admin, org: hospital_b, role: lead }
  - { name: viewer@b.example.com, type: admin, org: hospital_b, role: member }
builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
  - path: nvflare.lighter.impl.cert.CertBuilder
  - path: nvflare.lighter.impl.signature.SignatureBuilder
`
const DAY = 86_400_000
const pssMax = (key: ReturnType<typeof createPublicKey>) => ({
  key,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: 222,
})

describe('provision end to end (PKI)', () => {
  let tmp: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    tmp = makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  it('issues, signs and reuses every certificate as specified', async () => {
    const project = loadProject(YAML, 'project.yml')
    const now = new Date(Math.floor(Date.now() / 1000) * 1000)
    const first = await provision({ project, workspace: tmp.dir, now: () => now })
    const rootPem = readFileSync(join(first.prodDir, 'server.example.com/startup/rootCA.pem'), 'utf8')
    const root = parseCertInfo(rootPem)
    expect(root).toMatchObject({ cn: 'pki_e2e', basicConstraints: { ca: true, critical: true } })
    const rootKey = createPublicKey(rootPem)
    for (const p of project.participants) {
      const startup = join(first.prodDir, p.name, 'startup')
      const [crt, key] = p.type === 'server' ? ['server.crt', 'server.key'] : ['client.crt', 'client.key']
      const certPem = readFileSync(join(startup, crt), 'utf8')
      const info = parseCertInfo(certPem)
      expect(chainsTo(certPem, rootPem)).toBe(true)
      expect(keyMatchesCert(readFileSync(join(startup, key), 'utf8'), certPem)).toBe(true)
      expect(statSync(join(startup, key)).mode & 0o777).toBe(0o600)
      expect(info).toMatchObject({ cn: p.name, org: p.org, basicConstraints: { ca: false, critical: true } })
      expect(info.role).toBe(p.type === 'admin' ? p.role : undefined)
      expect(info.extKeyUsage).toEqual({ serverAuth: p.type === 'server', clientAuth: true })
      expect(info.san).toEqual(
        p.type === 'server'
          ? ['DNS:server.example.com', 'DNS:fl.example.com', 'IP:10.0.0.5']
          : [`DNS:${p.name}`],
      )
      expect(info.notBefore.getTime()).toBe(now.getTime())
      expect(info.notAfter.getTime()).toBe(Math.min(now.getTime() + 360 * DAY, root.notAfter.getTime()))
      for (const sub of ['startup', 'local']) {
        const dir = join(first.prodDir, p.name, sub)
        const doc = JSON.parse(readFileSync(join(dir, 'signature.json'), 'utf8')) as Record<string, string>
        expect(Object.keys(doc).sort()).toEqual(
          readdirSync(dir)
            .filter((n) => n !== 'signature.json')
            .sort(),
        )
        for (const [name, sig] of Object.entries(doc)) {
          const isDir = statSync(join(dir, name)).isDirectory()
          const data = isDir ? Buffer.from(name) : readFileSync(join(dir, name))
          expect(verify('sha256', data, pssMax(rootKey), Buffer.from(sig, 'base64'))).toBe(true)
        }
      }
      const report = await verifyKit(join(first.prodDir, p.name), { now })
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([])
    }
    const listener = parseCertInfo(readFileSync(join(first.prodDir, 'site-1/startup/server.crt'), 'utf8'))
    expect(listener).toMatchObject({
      cn: 'site-1',
      san: ['DNS:site-1-lh'],
      extKeyUsage: { serverAuth: true, clientAuth: true },
    })
    const stateFile = join(first.projectDir, 'state/cert.json')
    expect(statSync(stateFile).mode & 0o777).toBe(0o600)
    expect(statSync(join(first.projectDir, 'state')).mode & 0o777).toBe(0o700)

    const second = await provision({ project, workspace: tmp.dir, now: () => new Date(now.getTime() + DAY) })
    expect(second.prodDir).not.toBe(first.prodDir)
    for (const p of project.participants) {
      for (const f of [
        'rootCA.pem',
        ...(p.type === 'server' ? ['server.crt', 'server.key'] : ['client.crt', 'client.key']),
      ]) {
        expect(readFileSync(join(second.prodDir, p.name, 'startup', f))).toEqual(
          readFileSync(join(first.prodDir, p.name, 'startup', f)),
        )
      }
    }
    expect(statSync(stateFile).mode & 0o777).toBe(0o600)
  })
})
