import { createPrivateKey, createPublicKey } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseApproval, serializeApproval } from '../../../src/provision/distributed/approval.js'
import { approveRequest } from '../../../src/provision/distributed/approve.js'
import { packageKit } from '../../../src/provision/distributed/package.js'
import { makeRequest } from '../../../src/provision/distributed/request.js'
import { Layout } from '../../../src/provision/layout.js'
import { createIssuer, issueLeafCert } from '../../../src/provision/pki/certs.js'
import { leafSpecFor } from '../../../src/provision/pki/participant-certs.js'
import { parseCertState } from '../../../src/provision/pki/state-store.js'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { testKeys } from '../../helpers/pki-fixtures.js'
import { filesUnder, heProjectYaml, treeListing, useCentral } from './helpers.js'

const central = useCentral()

async function approved(name = 'site-9', keyIndex = 2) {
  const admin = central.admin()
  const site = central.site()
  const req = makeRequest({
    name,
    org: 'hospital_c',
    dir: site,
    makeKey: () => testKeys(keyIndex + 1)[keyIndex]!,
  })
  const result = await approveRequest({
    requestFile: req.requestFile,
    projectFile: admin.projectFile,
    workspace: admin.workspace,
  })
  const out = join(dirname(site), 'kits')
  mkdirSync(out)
  return { admin, site, req, result, kit: join(out, name) }
}

const refused = (code: string, message?: RegExp) =>
  expect.objectContaining({
    code,
    exitCode: 2,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  })

/** Re-signs a changed approval with the root key from the admin's state (what only the admin could do). */
async function resign(
  admin: { workspace: string },
  file: string,
  change: (a: ReturnType<typeof parseApproval>['approval'], rootKeyPem: string, rootCertPem: string) => void,
) {
  const state = parseCertState(
    readFileSync(join(admin.workspace, 'he_project', Layout.stateDir, Layout.stateFile), 'utf8'),
    's',
  )
  const { approval } = parseApproval(readFileSync(file), 'a')
  change(approval, state.root.keyPem, state.root.certPem)
  writeFileSync(file, await serializeApproval(approval, createPrivateKey(state.root.keyPem)))
}

const SITE_9 = [{ file: 'add.yml', entry: { name: 'site-9', org: 'hospital_c', type: 'client' } }]

/** Same tree (names, modes) and same bytes, but for identity files; signature.json by entry names only. */
function expectSameKit(kit: string, centralKit: string): void {
  expect(treeListing(kit)).toEqual(treeListing(centralKit))
  const ours = filesUnder(kit)
  // Certificates and keys differ by identity; RSA-PSS signatures have a random salt, so only their names compare.
  const identity = new Set([
    'startup/client.crt',
    'startup/client.key',
    'startup/signature.json',
    'local/signature.json',
  ])
  for (const [path, bytes] of filesUnder(centralKit)) {
    if (!identity.has(path)) expect(ours.get(path)?.equals(bytes), path).toBe(true)
  }
  for (const folder of ['startup', 'local']) {
    const sigs = (dir: string) =>
      Object.keys(JSON.parse(readFileSync(join(dir, folder, Layout.signature), 'utf8')) as object)
    expect(sigs(kit)).toEqual(sigs(centralKit))
  }
}

describe('packageKit', () => {
  it('assembles the kit exactly as the central flow lays it out, with its own key, and it passes verify', async () => {
    const { admin, site, req, result, kit } = await approved()
    const packaged = await packageKit({
      approvalFile: result.approvalFile,
      requestDir: site,
      rootFingerprint: result.rootFingerprint,
      output: kit,
    })
    expect(packaged.report.ok).toBe(true)
    expect(packaged.report.checks.filter((c) => c.name === 'signatures').map((c) => c.status)).toEqual([
      'ok',
      'ok',
    ])
    expect(readFileSync(join(kit, 'startup', 'client.key')).equals(readFileSync(req.keyFile))).toBe(true)

    // The same participant added centrally (--add-client) in a copy of the workspace: same tree, same files.
    const twin = central.admin()
    const run = await provision({
      project: loadProject(heProjectYaml(), 'project.yml', SITE_9),
      workspace: twin.workspace,
    })
    expectSameKit(kit, join(run.prodDir, 'site-9'))
    expect(admin.dir).not.toBe(twin.dir)
  })

  it("follows the workspace's NVFlare target (2.7 here), as the central flow's --add-client would", async () => {
    const admin = central.site()
    const workspace = join(admin, 'ws')
    await provision({ project: loadProject(heProjectYaml()), workspace, nvflareVersion: '2.7' })
    const twin = join(central.site(), 'ws')
    cpSync(workspace, twin, { recursive: true })
    writeFileSync(join(admin, 'project.yml'), heProjectYaml())
    const site = central.site()
    const req = makeRequest({ name: 'site-9', org: 'hospital_c', dir: site, makeKey: () => testKeys(3)[2]! })
    const result = await approveRequest({
      requestFile: req.requestFile,
      projectFile: join(admin, 'project.yml'),
      workspace,
    })
    expect(result.nvflareVersion).toBe('2.7')
    const kit = join(dirname(site), 'kits', 'site-9')
    const packaged = await packageKit({
      approvalFile: result.approvalFile,
      requestDir: site,
      rootFingerprint: result.rootFingerprint,
      output: kit,
    })
    expect(packaged).toMatchObject({ nvflareVersion: '2.7', report: { ok: true, nvflareVersion: '2.7' } })
    const run = await provision({
      project: loadProject(heProjectYaml(), 'project.yml', SITE_9),
      workspace: twin,
    })
    expect(run.target.version).toBe('2.7')
    expectSameKit(kit, join(run.prodDir, 'site-9'))
  })

  it('refuses a wrong or malformed root fingerprint, writing nothing', async () => {
    const { site, result, kit } = await approved()
    const other = `SHA256:${'00:'.repeat(31)}00`
    await expect(
      packageKit({
        approvalFile: result.approvalFile,
        requestDir: site,
        rootFingerprint: other,
        output: kit,
      }),
    ).rejects.toEqual(refused('distributed-root-mismatch', /not the SHA256:00/))
    await expect(
      packageKit({
        approvalFile: result.approvalFile,
        requestDir: site,
        rootFingerprint: 'abc',
        output: kit,
      }),
    ).rejects.toEqual(refused('bad-option'))
    expect(readdirSync(dirname(kit))).toEqual([])
  })

  it('refuses a tampered or truncated approval and one for another request or site', async () => {
    const { site, result, kit } = await approved()
    const fp = result.rootFingerprint
    const text = readFileSync(result.approvalFile, 'utf8')
    const pkg = (approvalFile: string, requestDir = site) =>
      packageKit({ approvalFile, requestDir, rootFingerprint: fp, output: kit })
    const tampered = join(dirname(kit), 'tampered.json')
    const doc = JSON.parse(text) as { files: { path: string; data: string }[] }
    doc.files[0]!.data = Buffer.from('{"changed": true}\n').toString('base64')
    writeFileSync(tampered, JSON.stringify(doc))
    await expect(pkg(tampered)).rejects.toEqual(refused('distributed-bad-file', /signature does not verify/))
    writeFileSync(tampered, text.slice(0, text.length - 200))
    await expect(pkg(tampered)).rejects.toEqual(refused('distributed-bad-file', /not a JSON file/))
    // The same name requested again in another folder: the approval is not for that request.
    const again = central.site()
    makeRequest({ name: 'site-9', org: 'hospital_c', dir: again, makeKey: () => testKeys(4)[3]! })
    await expect(pkg(result.approvalFile, again)).rejects.toEqual(
      refused('distributed-foreign-approval', /not yours/),
    )
    const other = central.site()
    makeRequest({ name: 'site-8', org: 'hospital_c', dir: other, makeKey: () => testKeys(4)[3]! })
    await expect(pkg(result.approvalFile, other)).rejects.toEqual(
      refused('distributed-foreign-approval', /holds no request of "site-9"/),
    )
    expect(readdirSync(dirname(kit)).sort()).toEqual(['tampered.json'])
  })

  it('refuses a request folder whose key was replaced', async () => {
    const { site, result, kit } = await approved()
    writeFileSync(join(site, 'site-9.key'), testKeys(4)[3]!)
    await expect(
      packageKit({
        approvalFile: result.approvalFile,
        requestDir: site,
        rootFingerprint: result.rootFingerprint,
        output: kit,
      }),
    ).rejects.toEqual(refused('distributed-wrong-key', /not the key this request was made with/))
    expect(existsSync(kit)).toBe(false)
  })

  it('refuses, even when signed by the root: a certificate for another key, a changed seal, a file that differs from its signature', async () => {
    const { admin, site, result, kit } = await approved()
    const pkg = () =>
      packageKit({
        approvalFile: result.approvalFile,
        requestDir: site,
        rootFingerprint: result.rootFingerprint,
        output: kit,
      })
    const original = readFileSync(result.approvalFile)
    await resign(admin, result.approvalFile, (a, rootKeyPem, rootCertPem) => {
      const p = loadProject(heProjectYaml()).clients[0]!
      const other = String(createPublicKey(testKeys(4)[3]!).export({ type: 'spki', format: 'pem' }))
      a.certPem = issueLeafCert(
        leafSpecFor({ ...p, name: 'site-9', org: 'hospital_c' }, other),
        createIssuer({ certPem: rootCertPem, keyPem: rootKeyPem }),
        { now: new Date() },
      )
    })
    await expect(pkg()).rejects.toEqual(refused('distributed-wrong-key', /another key/))
    writeFileSync(result.approvalFile, original)
    await resign(admin, result.approvalFile, (a) => {
      a.sealed[0]!.envelope[a.sealed[0]!.envelope.length - 1]! ^= 1
    })
    await expect(pkg()).rejects.toEqual(refused('sealed-envelope', /integrity check/))
    writeFileSync(result.approvalFile, original)
    await resign(admin, result.approvalFile, (a) => {
      const f = a.files.find((x) => x.path === 'startup/fed_client.json')!
      f.data = Buffer.from(f.data.toString('utf8').replace('8002', '9999'))
    })
    await expect(pkg()).rejects.toEqual(
      refused('distributed-bad-file', /startup\/fed_client.json does not match its signature/),
    )
    expect(existsSync(kit)).toBe(false)
  })

  it('never writes over an existing kit and wants the folder named after the participant', async () => {
    const { site, result, kit } = await approved()
    const pkg = (output: string) =>
      packageKit({
        approvalFile: result.approvalFile,
        requestDir: site,
        rootFingerprint: result.rootFingerprint,
        output,
      })
    await expect(pkg(join(dirname(kit), 'other'))).rejects.toEqual(refused('distributed-kit-name'))
    mkdirSync(kit)
    writeFileSync(join(kit, 'mine'), 'keep')
    await expect(pkg(kit)).rejects.toEqual(refused('file-exists'))
    expect(readdirSync(kit)).toEqual(['mine'])
    expect(readdirSync(dirname(kit))).toEqual(['site-9'])
  })
})
