import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HeKeyFiles, makeHeKeyFiles } from '../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../../src/he-builder/params.js'
import { fixtureKeySource, testKeys } from './key-fixtures.js'
import { admin, client, makeContext, makeProject, relay, server } from './project-fixtures.js'

/** A temp dir per test; call the returned cleanup in afterEach. */
export function makeTempDir(prefix = 'fedforge-pki-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export { admin, client, fixtureKeySource, makeContext, makeProject, relay, server, testKeys }

/** Issuer-verified chain check with Node's X509Certificate. */
export function chainsTo(certPem: string, rootPem: string): boolean {
  const cert = new X509Certificate(certPem)
  const root = new X509Certificate(rootPem)
  return cert.checkIssued(root) && cert.verify(root.publicKey)
}

let heKeyFiles: Promise<HeKeyFiles> | undefined

/** One real HE key pair (NVFlare's default parameters), made once per test process. */
export function testHeKeyFiles(): Promise<HeKeyFiles> {
  heKeyFiles ??= makeHeKeyFiles(DEFAULT_HE_PARAMS)
  return heKeyFiles
}

/**
 * Kits as the provisioner would leave them in wip/ (cert builder, minimal fed_*.json and local/ files
 * written here by hand, then the signature builder): server1, site-1, site-2, admin@nvidia.com.
 */
export async function buildSignedKits(
  dir: string,
  now: Date,
  projectName = 'example_project',
  beforeSigning: (wipDir: string) => void = () => {},
) {
  const { createCertBuilder } = await import('../../src/provision/builders/cert.js')
  const { signatureBuilderFactory } = await import('../../src/provision/builders/signature.js')
  const project = makeProject(
    [server(), client('site-1'), client('site-2'), admin('admin@nvidia.com', 'project_admin')],
    projectName,
  )
  const { ctx, events } = makeContext(project, dir, now)
  const cert = createCertBuilder({ rootValidDays: 360 })
  await cert.initialize?.(ctx)
  await cert.build(ctx)
  const identity = {
    servers: [{ name: projectName, identity: 'server1' }],
    client: { ssl_cert: 'client.crt' },
  }
  ctx.writeFile('server1/startup/fed_server.json', JSON.stringify({ servers: [{ name: projectName }] }))
  const he = await testHeKeyFiles()
  ctx.writeFile('server1/startup/server_context.tenseal', he.server)
  for (const site of ['site-1', 'site-2']) {
    ctx.writeFile(`${site}/startup/fed_client.json`, JSON.stringify(identity))
    ctx.writeFile(`${site}/startup/client_context.tenseal`, he.client, 0o600)
    ctx.writeFile(`${site}/startup/start.sh`, '#!/bin/sh\n', 0o755)
  }
  ctx.writeFile(
    'admin@nvidia.com/startup/fed_admin.json',
    JSON.stringify({ admin: { username: 'admin@nvidia.com', server_identity: 'server1' } }),
  )
  for (const p of project.participants) {
    ctx.writeFile(`${p.name}/local/resources.json.default`, '{"format_version": 2}')
    ctx.writeFile(`${p.name}/local/custom/readme.txt`, 'a sub-folder, signed by its name')
  }
  beforeSigning(ctx.wipDir)
  // Through the factory: its builder checks that the cert builder provided the PKI first.
  await (await signatureBuilderFactory.create({})).build(ctx)
  return { ctx, events, project, kit: (name: string) => join(ctx.wipDir, name) }
}
