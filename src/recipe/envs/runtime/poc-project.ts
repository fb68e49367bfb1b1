import { existsSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Layout, prodDirIndex } from '../../../provision/layout.js'
import { loadProject } from '../../../provision/project/load.js'
import { provision } from '../../../provision/provisioner.js'
import { detectKitTarget } from '../../../provision/targets/detect.js'
import type { NvflareVersion } from '../../../provision/targets/version.js'
import { prop, readKitFiles } from '../../../provision/verify/kit-files.js'

/** The server of a PoC federation: `localhost` resolves everywhere and is its certificate's name. */
export const POC_SERVER = 'localhost'

export interface PocProjectSpec {
  projectName: string
  numClients: number
  username: string
}

export interface PocPorts {
  fedLearnPort: number
  adminPort: number
}

export const pocClientNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `site-${i + 1}`)

/** The project.yml of a local proof-of-concept federation with HE: localhost, site-1…site-N, a project admin. */
export function pocProjectYaml(spec: PocProjectSpec, ports: PocPorts): string {
  const server = `{ name: ${POC_SERVER}, type: server, org: nvidia, fed_learn_port: ${ports.fedLearnPort}, admin_port: ${ports.adminPort} }`
  return [
    'api_version: 3',
    `name: ${spec.projectName}`,
    'description: fedforge proof-of-concept federation with homomorphic encryption',
    'participants:',
    `  - ${server}`,
    ...pocClientNames(spec.numClients).map((c) => `  - { name: ${c}, type: client, org: nvidia }`),
    `  - { name: "${spec.username}", type: admin, org: nvidia, role: project_admin }`,
    'builders:',
    '  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder',
    '  - path: nvflare.lighter.impl.static_file.StaticFileBuilder',
    // grpc: NVFlare's http driver needs an aiohttp that many systems lack
    '    args: { config_folder: config, scheme: grpc }',
    '  - path: nvflare.lighter.impl.cert.CertBuilder',
    '  - path: nvflare.lighter.impl.he.HEBuilder',
    '  - path: nvflare.lighter.impl.signature.SignatureBuilder',
    '',
  ].join('\n')
}

/** The newest `prod_NN` folder of a project folder, or undefined. */
export function newestProdDir(projectDir: string): string | undefined {
  if (!existsSync(projectDir)) return undefined
  const newest = readdirSync(projectDir)
    .map((name) => ({ name, index: prodDirIndex(name) }))
    .filter((e): e is { name: string; index: number } => e.index !== undefined)
    .sort((a, b) => b.index - a.index)[0]
  return newest ? join(projectDir, newest.name) : undefined
}

/** A TCP port that is free on this machine now (or `port`, when it is free). */
export function freePort(port = 0): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(undefined))
    srv.listen(port, () => {
      const address = srv.address()
      const found = typeof address === 'object' && address ? address.port : undefined
      srv.close(() => resolve(found))
    })
  })
}

/** The ports a server kit listens on (fed_server.json), or undefined. */
export function serverPorts(serverKit: string): PocPorts | undefined {
  const config = readKitFiles(serverKit).fedConfig
  const target = prop(config, 'servers', 0, 'service', 'target')
  const admin = prop(config, 'servers', 0, 'admin_port')
  const fed = typeof target === 'string' ? Number(target.split(':').at(-1)) : Number.NaN
  if (!Number.isInteger(fed) || typeof admin !== 'number') return undefined
  return { fedLearnPort: fed, adminPort: admin }
}

/** Why the newest prod_NN cannot be reused for this spec and target (undefined: it can). */
export async function reuseProblem(
  prodDir: string,
  spec: PocProjectSpec,
  target: NvflareVersion,
): Promise<string | undefined> {
  const wanted = new Map<string, string>([
    [POC_SERVER, 'server'],
    [spec.username, 'admin'],
  ])
  for (const c of pocClientNames(spec.numClients)) wanted.set(c, 'client')
  const kits = readdirSync(prodDir).filter((n) => existsSync(join(prodDir, n, Layout.startup)))
  if (
    kits.length !== wanted.size ||
    kits.some((k) => readKitFiles(join(prodDir, k)).type !== wanted.get(k))
  ) {
    return `its kits are not ${[...wanted.keys()].join(', ')}`
  }
  const version = detectKitTarget(join(prodDir, POC_SERVER))
  if (version !== target) return `it was written for NVFlare ${version ?? '(unknown)'}, the job for ${target}`
  const ports = serverPorts(join(prodDir, POC_SERVER))
  if (!ports) return 'its server kit names no ports'
  for (const port of [ports.fedLearnPort, ports.adminPort]) {
    if ((await freePort(port)) === undefined) return `port ${port} is in use`
  }
  return undefined
}

export interface PreparedPoc {
  prodDir: string
  reused: boolean
  /** Why the newest prod_NN was not reused (when there was one). */
  notReused: string | undefined
}

/**
 * The PoC project in `<workspace>/<projectName>`: its newest prod_NN when that fits (same kits, same target,
 * its ports free), else a new one provisioned with two free ports (state/ keeps the root CA and HE key).
 */
export async function preparePocProject(
  workspace: string,
  spec: PocProjectSpec,
  target: NvflareVersion,
  more: { now?: () => Date; signal?: AbortSignal } = {},
): Promise<PreparedPoc> {
  const newest = newestProdDir(join(workspace, spec.projectName))
  const notReused = newest ? await reuseProblem(newest, spec, target) : undefined
  if (newest && notReused === undefined) return { prodDir: newest, reused: true, notReused }
  const fedLearnPort = await freePort()
  let adminPort = await freePort()
  while (adminPort === fedLearnPort) adminPort = await freePort()
  if (fedLearnPort === undefined || adminPort === undefined)
    throw new Error('no free TCP port on this machine')
  const yaml = pocProjectYaml(spec, { fedLearnPort, adminPort })
  const provisioned = await provision({
    project: loadProject(yaml, 'poc-project.yml'),
    workspace,
    options: { genScripts: true },
    nvflareVersion: target,
    ...(more.now ? { now: more.now } : {}),
    ...(more.signal ? { signal: more.signal } : {}),
  })
  return { prodDir: provisioned.prodDir, reused: false, notReused }
}
