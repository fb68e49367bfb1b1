import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseApproval, verifyApprovalSignature } from '../../../src/provision/distributed/approval.js'
import { approveRequest } from '../../../src/provision/distributed/approve.js'
import { openSealed } from '../../../src/provision/distributed/envelope.js'
import { makeRequest } from '../../../src/provision/distributed/request.js'
import { DISTRIBUTED_STATE_KEY } from '../../../src/provision/distributed/state.js'
import { Layout } from '../../../src/provision/layout.js'
import { parseCertInfo } from '../../../src/provision/pki/cert-info.js'
import { verifyContent } from '../../../src/provision/pki/signing.js'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { testKeys } from '../../helpers/pki-fixtures.js'
import { heProjectYaml, useCentral } from './helpers.js'

const central = useCentral()
const siteKey = () => testKeys(3)[2]!

function request(
  name = 'site-9',
  extra: { type?: 'client' | 'admin' | 'server'; role?: string; org?: string } = {},
) {
  return makeRequest({
    name,
    org: extra.org ?? 'hospital_c',
    type: extra.type,
    role: extra.role,
    dir: central.site(),
    makeKey: siteKey,
  })
}

const stateOf = (workspace: string) => join(workspace, 'he_project', Layout.stateDir)

describe('approveRequest', () => {
  it('issues the certificate for the CSR key, signs every kit file, seals the HE context and records the site', async () => {
    const admin = central.admin()
    const req = request()
    const result = await approveRequest({
      requestFile: req.requestFile,
      projectFile: admin.projectFile,
      workspace: admin.workspace,
    })
    expect(result).toMatchObject({
      project: 'he_project',
      requestSha256: req.request.sha256,
      sealedHeContext: true,
    })
    const { approval, doc } = parseApproval(readFileSync(result.approvalFile), 'a')
    const root = new X509Certificate(approval.rootCaPem)
    expect(`SHA256:${root.fingerprint256}`).toBe(result.rootFingerprint)
    expect(verifyApprovalSignature(doc, root.publicKey)).toBe(true)

    const cert = new X509Certificate(approval.certPem)
    expect(cert.verify(root.publicKey)).toBe(true)
    const ownKey = createPublicKey(createPrivateKey(readFileSync(req.keyFile)))
    expect(
      cert.publicKey
        .export({ type: 'spki', format: 'der' })
        .equals(ownKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true)
    expect(parseCertInfo(approval.certPem)).toMatchObject({
      cn: 'site-9',
      org: 'hospital_c',
      basicConstraints: { ca: false },
      extKeyUsage: { clientAuth: true, serverAuth: false },
    })

    const startup = approval.signatures['startup']!
    for (const f of approval.files.filter((x) => x.path.startsWith('startup/'))) {
      expect(verifyContent(root.publicKey, f.data, startup[f.path.slice(8)]!), f.path).toBe(true)
    }
    expect(verifyContent(root.publicKey, readFileSync(req.keyFile), startup['client.key']!)).toBe(true)
    expect(Object.keys(startup).sort()).toEqual([
      'client.crt',
      'client.key',
      'client_context.tenseal',
      'fed_client.json',
      'rootCA.pem',
      'start.sh',
      'stop_fl.sh',
      'sub_start.sh',
    ])
    expect(approval.files.map((f) => f.path)).not.toContain('startup/client.key')

    const heKey = readFileSync(join(stateOf(admin.workspace), Layout.heStateFile))
    const sealed = approval.sealed.find((s) => s.path === 'startup/client_context.tenseal')!
    const opened = openSealed(
      createPrivateKey(readFileSync(req.keyFile)),
      sealed.envelope,
      { siteName: 'site-9', requestSha256: req.request.sha256 },
      'x',
    )
    expect(opened.equals(heKey)).toBe(true)
    expect(verifyContent(root.publicKey, opened, startup['client_context.tenseal']!)).toBe(true)

    const state = JSON.parse(
      readFileSync(join(stateOf(admin.workspace), Layout.stateFile), 'utf8'),
    ) as Record<string, Record<string, Record<string, string>>>
    expect(state[DISTRIBUTED_STATE_KEY]!['site-9']).toMatchObject({
      type: 'client',
      org: 'hospital_c',
      cert: approval.certPem,
      request_sha256: req.request.sha256,
    })
    expect(state['site-9']).toBeUndefined()
  })

  it('approves an admin: its role in the certificate, fed_admin.json in the kit, no HE context', async () => {
    const admin = central.admin()
    const req = request('ops@hospital.org', { type: 'admin', role: 'lead' })
    const result = await approveRequest({
      requestFile: req.requestFile,
      projectFile: admin.projectFile,
      workspace: admin.workspace,
    })
    const { approval } = parseApproval(readFileSync(result.approvalFile), 'a')
    expect(parseCertInfo(approval.certPem).role).toBe('lead')
    expect(approval.sealed).toEqual([])
    expect(approval.files.map((f) => f.path)).toContain('startup/fed_admin.json')
    expect(result.sealedHeContext).toBe(false)
  })

  it('writes nothing when the admin does not confirm', async () => {
    const admin = central.admin()
    const stateFile = join(stateOf(admin.workspace), Layout.stateFile)
    const before = readFileSync(stateFile)
    const req = request()
    let shown = ''
    await expect(
      approveRequest({
        requestFile: req.requestFile,
        projectFile: admin.projectFile,
        workspace: admin.workspace,
        confirm: (p) => {
          shown = p.requestSha256
          return false
        },
      }),
    ).rejects.toMatchObject({ code: 'not-approved', exitCode: 1 })
    expect(shown).toBe(req.request.sha256)
    expect(existsSync(join(req.requestFile, '..', 'site-9.approval.json'))).toBe(false)
    expect(readFileSync(stateFile).equals(before)).toBe(true)
  })

  it('refuses collisions: a project.yml name (exit 2), an approved name and a central one (exit 3), a server', async () => {
    const admin = central.admin()
    const approve = (r: ReturnType<typeof request>) =>
      approveRequest({
        requestFile: r.requestFile,
        projectFile: admin.projectFile,
        workspace: admin.workspace,
      })
    await expect(approve(request('site-1', { org: 'nvidia' }))).rejects.toMatchObject({
      exitCode: 2,
      problems: [expect.stringMatching(/site-1.request.json.*duplicate|site-1.*more than once|unique/i)],
    })
    await approve(request('site-9'))
    await expect(approve(request('site-9'))).rejects.toMatchObject({
      code: 'distributed-collision',
      exitCode: 3,
      message: expect.stringMatching(/earlier approve/),
    })
    await provision({
      project: loadProject(heProjectYaml(), 'project.yml', [
        { file: 'add.yml', entry: { name: 'site-5', org: 'x', type: 'client' } },
      ]),
      workspace: admin.workspace,
    })
    await expect(approve(request('site-5'))).rejects.toMatchObject({
      code: 'distributed-collision',
      exitCode: 3,
      message: expect.stringMatching(/central provisioning/),
    })
    await expect(approve(request('server1', { type: 'server', org: 'nvidia' }))).rejects.toMatchObject({
      code: 'distributed-server',
      exitCode: 3,
    })
  })

  it('a later central run that lists an approved name stops with exit 3', async () => {
    const admin = central.admin()
    const r = request('site-9')
    await approveRequest({
      requestFile: r.requestFile,
      projectFile: admin.projectFile,
      workspace: admin.workspace,
    })
    const added = [{ file: 'add.yml', entry: { name: 'site-9', org: 'hospital_c', type: 'client' } }]
    await expect(
      provision({ project: loadProject(heProjectYaml(), 'project.yml', added), workspace: admin.workspace }),
    ).rejects.toMatchObject({
      code: 'distributed-collision',
      exitCode: 3,
    })
  })

  it('refuses a changed request (exit 2) and a workspace without a root CA (exit 3), writing nothing', async () => {
    const admin = central.admin()
    const r = request('site-9')
    const text = readFileSync(r.requestFile, 'utf8')
    writeFileSync(r.requestFile, text.replace('"org": "hospital_c"', '"org": "hospital_d"'))
    const approve = (workspace: string) =>
      approveRequest({ requestFile: r.requestFile, projectFile: admin.projectFile, workspace })
    await expect(approve(admin.workspace)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/CSR subject O is "hospital_c", but the request says "hospital_d"/),
    })
    writeFileSync(r.requestFile, text.slice(0, 300))
    await expect(approve(admin.workspace)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/not a JSON file/),
    })
    writeFileSync(r.requestFile, text)
    await expect(approve(join(admin.dir, 'elsewhere'))).rejects.toMatchObject({
      code: 'distributed-no-state',
      exitCode: 3,
    })
    expect(existsSync(join(admin.dir, 'elsewhere'))).toBe(false)
    expect(existsSync(join(r.requestFile, '..', 'site-9.approval.json'))).toBe(false)
  })
})
