import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../../src/errors.js'
import { certBuilderFactory, createCertBuilder, parseCertArgs } from '../../../src/provision/builders/cert.js'
import type { ProvisionContext, RunContext } from '../../../src/provision/context.js'
import { parseCertInfo } from '../../../src/provision/pki/cert-info.js'
import { keyMatchesCert } from '../../../src/provision/pki/participant-certs.js'
import { parseCertState } from '../../../src/provision/pki/state-store.js'
import type { Participant } from '../../../src/provision/project/types.js'
import {
  admin,
  chainsTo,
  client,
  fixtureKeySource,
  makeContext,
  makeProject,
  makeTempDir,
  relay,
  server,
} from '../../helpers/pki-fixtures.js'

const NOW = new Date('2026-03-01T12:00:00.000Z')
const DAY = 86_400_000

const participants = (): Participant[] => [
  server(),
  client('site-1', {
    listeningHost: {
      host: 'site-1-lh',
      hostNames: ['192.168.7.7'],
      port: 9000,
      scheme: 'grpc',
      connectionSecurity: undefined,
    },
  }),
  client('site-2'),
  relay('relay-1'),
  admin('admin@nvidia.com', 'project_admin'),
  admin('org@nvidia.com', 'org_admin'),
  admin('lead@nvidia.com', 'lead'),
  admin('member@nvidia.com', 'member'),
]

async function run(ctx: RunContext, rootValidDays = 360): Promise<void> {
  const builder = createCertBuilder({ rootValidDays })
  await builder.initialize?.(ctx)
  await builder.build(ctx)
  await builder.finalize?.(ctx)
}

/** What the provisioner does with staged state after a successful run. */
function commitState(ctx: ProvisionContext): void {
  mkdirSync(ctx.stateDir, { recursive: true })
  for (const [name, data] of ctx.stagedState) writeFileSync(join(ctx.stateDir, name), data, { mode: 0o600 })
}

const read = (ctx: ProvisionContext, rel: string) => readFileSync(join(ctx.wipDir, rel), 'utf8')

describe('cert builder', () => {
  let tmp: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    tmp = makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  it('issues the root and every leaf exactly per profile', async () => {
    const project = makeProject(participants())
    const { ctx, events } = makeContext(project, tmp.dir, NOW)
    await run(ctx)
    const rootPem = read(ctx, 'server1/startup/rootCA.pem')
    const root = parseCertInfo(rootPem)
    expect(root).toMatchObject({
      cn: 'example_project',
      issuerCn: 'example_project',
      hasSki: true,
      hasAki: true,
    })
    expect(root.basicConstraints).toEqual({ ca: true, critical: true })
    expect(root.keyUsage).toMatchObject({ digitalSignature: true, keyCertSign: true, critical: true })
    expect(root.notBefore.getTime()).toBe(NOW.getTime())
    expect(root.notAfter.getTime()).toBe(NOW.getTime() + 360 * DAY)
    const files: Record<string, [string, string]> = { server: ['server.crt', 'server.key'] }
    for (const p of project.participants) {
      const [crt, key] = files[p.type] ?? ['client.crt', 'client.key']
      const certPem = read(ctx, `${p.name}/startup/${crt}`)
      const keyPem = read(ctx, `${p.name}/startup/${key}`)
      expect(read(ctx, `${p.name}/startup/rootCA.pem`)).toBe(rootPem)
      expect(chainsTo(certPem, rootPem)).toBe(true)
      expect(keyMatchesCert(keyPem, certPem)).toBe(true)
      expect(keyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----')).toBe(true)
      expect(statSync(join(ctx.wipDir, p.name, 'startup', key)).mode & 0o777).toBe(0o600)
      const info = parseCertInfo(certPem)
      expect(info).toMatchObject({
        cn: p.name,
        org: 'nvidia',
        issuerCn: 'example_project',
        keyBits: 2048,
        publicExponent: 65537,
      })
      expect(info.role).toBe(p.type === 'admin' ? p.role : undefined)
      expect(info.serialHex).toMatch(/^[0-7][0-9a-f]{39}$/)
      expect(info.signatureAlgorithm).toBe('sha256WithRSAEncryption')
      expect(info.basicConstraints).toEqual({ ca: false, critical: true })
      expect(info.keyUsage).toMatchObject({
        digitalSignature: true,
        keyEncipherment: true,
        keyCertSign: false,
      })
      expect(info.extKeyUsage).toEqual({ serverAuth: p.type === 'server', clientAuth: true })
      expect(info.san).toEqual(
        p.type === 'server' ? ['DNS:server1', 'DNS:server1.example.com', 'IP:10.1.2.3'] : [`DNS:${p.name}`],
      )
      expect(info.notBefore.getTime()).toBe(NOW.getTime())
      expect(info.notAfter.getTime()).toBe(NOW.getTime() + 360 * DAY)
    }
    const listener = parseCertInfo(read(ctx, 'site-1/startup/server.crt'))
    expect(listener).toMatchObject({
      cn: 'site-1',
      san: ['DNS:site-1-lh', 'IP:192.168.7.7'],
      extKeyUsage: { serverAuth: true, clientAuth: true },
    })
    expect(
      keyMatchesCert(read(ctx, 'site-1/startup/server.key'), read(ctx, 'site-1/startup/server.crt')),
    ).toBe(true)
    const keyEvents = events.filter((e) => e.type === 'key-generated')
    expect(keyEvents.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(ctx.pki?.participants.size).toBe(8)
    const state = parseCertState(String(ctx.stagedState.get('cert.json')), 'cert.json')
    expect(state.root.certPem).toBe(rootPem)
    expect([...state.participants.keys()]).toEqual(project.participants.map((p) => p.name))
  })

  it('caps leaf validity at the root notAfter', async () => {
    const { ctx } = makeContext(makeProject([server()]), tmp.dir, NOW)
    await run(ctx, 30)
    const leaf = parseCertInfo(read(ctx, 'server1/startup/server.crt'))
    expect(leaf.notAfter.getTime()).toBe(NOW.getTime() + 30 * DAY)
  })

  it('reuses the root and stored certificates byte for byte and adds a new client only', async () => {
    const first = makeContext(makeProject(participants()), tmp.dir, NOW)
    await run(first.ctx)
    commitState(first.ctx)
    const later = new Date(NOW.getTime() + 10 * DAY)
    const project = makeProject([...participants(), client('site-3')])
    const second = makeContext(project, tmp.dir, later, {}, fixtureKeySource(20))
    await run(second.ctx)
    for (const p of [
      'server1/startup/server.crt',
      'server1/startup/server.key',
      'site-2/startup/client.crt',
      'admin@nvidia.com/startup/client.key',
      'relay-1/startup/client.crt',
    ]) {
      expect(read(second.ctx, p)).toBe(read(first.ctx, p))
    }
    expect(read(second.ctx, 'site-3/startup/rootCA.pem')).toBe(read(first.ctx, 'server1/startup/rootCA.pem'))
    expect(
      chainsTo(read(second.ctx, 'site-3/startup/client.crt'), read(first.ctx, 'server1/startup/rootCA.pem')),
    ).toBe(true)
    const keyEvents = second.events
      .filter((e) => e.type === 'key-generated')
      .map((e) => e.type === 'key-generated' && e.name)
    expect(keyEvents).toEqual(['site-3', 'site-1 (listener)'])
  })

  it.each([
    ['org', client('site-2', { org: 'other' }), /site-2.*org "nvidia".*"other"/],
    ['role', admin('lead@nvidia.com', 'member'), /lead@nvidia\.com.*role "lead".*"member"/],
  ])('refuses a changed %s on rerun', async (_what, changed, message) => {
    const first = makeContext(makeProject(participants()), tmp.dir, NOW)
    await run(first.ctx)
    commitState(first.ctx)
    const list = participants().map((p) => (p.name === changed.name ? changed : p))
    const { ctx } = makeContext(makeProject(list), tmp.dir, NOW)
    const builder = createCertBuilder({ rootValidDays: 360 })
    const error = (() => {
      try {
        builder.initialize?.(ctx)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ProvisionError)
    expect((error as ProvisionError).message).toMatch(message)
    expect((error as ProvisionError).hint).toBeTruthy()
  })

  it('refuses a corrupt state file and a root of another project', async () => {
    const { ctx } = makeContext(makeProject([server()]), tmp.dir, NOW)
    mkdirSync(ctx.stateDir, { recursive: true })
    writeFileSync(join(ctx.stateDir, 'cert.json'), '{not json')
    const builder = createCertBuilder({ rootValidDays: 360 })
    expect(() => builder.initialize?.(ctx)).toThrow(/cert\.json is not a valid certificate state file/)
    const other = makeContext(makeProject([server()], 'other_project'), tmp.dir, NOW)
    await run(other.ctx)
    writeFileSync(join(ctx.stateDir, 'cert.json'), String(other.ctx.stagedState.get('cert.json')))
    expect(() => builder.initialize?.(ctx)).toThrow(/for project "other_project", not "example_project"/)
  })

  it('validates its arguments', async () => {
    expect(parseCertArgs({}).rootValidDays).toBe(360)
    expect(parseCertArgs({ root_valid_days: 3650 }).rootValidDays).toBe(3650)
    expect(() => parseCertArgs({ root_valid_days: '10' })).toThrow(ProvisionError)
    expect(() => parseCertArgs({ root_valid_days: 0 })).toThrow(/root_valid_days/)
    expect(() => parseCertArgs({ valid_days: 10 })).toThrow(/unknown argument\(s\) valid_days/)
    expect(certBuilderFactory).toMatchObject({
      id: 'cert',
      phase: 30,
      nvflarePaths: ['nvflare.lighter.impl.cert.CertBuilder'],
    })
    await expect(Promise.resolve().then(() => certBuilderFactory.create({ nope: 1 }))).rejects.toThrow(
      ProvisionError,
    )
  })
})
