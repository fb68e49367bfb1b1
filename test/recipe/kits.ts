import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { makeHeKeyFiles } from '../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../../src/he-builder/params.js'
import { Layout } from '../../src/provision/layout.js'
import { ContentSigner, loadSigningKey, signFolder } from '../../src/provision/pki/signing.js'
import { loadProject } from '../../src/provision/project/load.js'
import { provision } from '../../src/provision/provisioner.js'
import type { NvflareVersion } from '../../src/provision/targets/version.js'

export const ADMIN = 'admin@nvidia.com'
/** A fixed clock, so certificates do not depend on when the tests run. */
export const NOW = () => new Date('2026-01-15T12:00:00Z')

/** An HE project: a server named `server`, site-1..N and a project admin. */
function heProjectYaml(projectName: string, numClients: number): string {
  const sites = Array.from(
    { length: numClients },
    (_, i) => `  - { name: site-${i + 1}, type: client, org: nvidia }`,
  )
  return `api_version: 3
name: ${projectName}
participants:
  - { name: server, type: server, org: nvidia, fed_learn_port: 8002 }
${sites.join('\n')}
  - { name: "${ADMIN}", type: admin, org: nvidia, role: project_admin }
builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
    args: { config_folder: config }
  - path: nvflare.lighter.impl.cert.CertBuilder
  - path: nvflare.lighter.impl.he.HEBuilder
  - path: nvflare.lighter.impl.signature.SignatureBuilder
`
}

/**
 * Provisions an HE project (server, site-1..N, admin) and returns its prod_NN folder. On the real clock:
 * `provision job` checks the certificates against it (verifyKit), so fixed dates would expire.
 */
export async function provisionHeKits(workspace: string, numClients = 2, projectName = 'example_project') {
  const project = loadProject(heProjectYaml(projectName, numClients))
  const result = await provision({ project, workspace })
  return { prodDir: result.prodDir, projectDir: result.projectDir }
}

/** Provisions the workspace of `projectDir` again for `nvflareVersion` (same root CA and HE key): its new prod_NN. */
export async function reprovisionHeKits(
  projectDir: string,
  numClients: number,
  nvflareVersion: NvflareVersion,
  projectName = 'example_project',
): Promise<string> {
  const project = loadProject(heProjectYaml(projectName, numClients))
  return (await provision({ project, workspace: dirname(projectDir), nvflareVersion })).prodDir
}

/** A private copy of a provisioned prod_NN folder (tests that tamper with kits use their own). */
export function copyKits(prodDir: string, into: string): string {
  const target = join(into, 'prod_00')
  cpSync(prodDir, target, { recursive: true })
  return target
}

/** Re-signs a kit's startup/ with the project's root key (to test checks other than signatures). */
export async function resign(projectDir: string, kitDir: string): Promise<void> {
  const state = JSON.parse(readFileSync(join(projectDir, Layout.stateDir, Layout.stateFile), 'utf8'))
  await signFolder(
    join(kitDir, Layout.startup),
    new ContentSigner(loadSigningKey(state.root_pri_key as string)),
  )
}

/** Replaces a kit's HE context with `bytes` and re-signs its startup/. */
export async function replaceContext(
  projectDir: string,
  kitDir: string,
  file: string,
  bytes: Uint8Array | null,
) {
  const path = join(kitDir, Layout.startup, file)
  if (bytes === null) rmSync(path)
  else writeFileSync(path, bytes)
  await resign(projectDir, kitDir)
}

/** A fresh HE key pair (a different secret key), optionally with other parameters. */
export async function otherHeKey(polyModulusDegree = DEFAULT_HE_PARAMS.polyModulusDegree) {
  const coeff = polyModulusDegree === 8192 ? [60, 40, 40] : [60, 40, 40, 60]
  return makeHeKeyFiles({ ...DEFAULT_HE_PARAMS, polyModulusDegree, coeffModBitSizes: coeff })
}
