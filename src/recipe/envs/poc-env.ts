import { join } from 'node:path'
import { loadProject } from '../../provision/project/load.js'
import { provision } from '../../provision/provisioner.js'
import type { JobDefinition } from '../job/job-config.js'
import { writeJob } from '../job/write-job.js'
import type { ExecEnv, ExecResult } from '../spec.js'
import { inspectKits } from './inspect-kits.js'
import { deployResult } from './prod-env.js'
import { probeNvflare, type RuntimeProbe } from './runtime.js'

/** Options of PocEnv: the workspace to provision into, and the federation's size and names. */
export interface PocEnvOptions {
  /** Number of clients site-1 … site-N (default 2). */
  numClients?: number
  /** Folder that holds the PoC project (`<workspace>/<projectName>/prod_NN/...`). */
  workspace: string
  /** Default "example_project", like `nvflare poc prepare`. */
  projectName?: string
  /** The project admin (default "admin@nvidia.com"). */
  username?: string
  runtime?: RuntimeProbe
  /** Injectable clock for the certificates. */
  now?: () => Date
}

/** The project.yml of a local proof-of-concept federation with HE: server, site-1…site-N, a project admin. */
export function pocProjectYaml(projectName: string, numClients: number, username: string): string {
  const sites = Array.from(
    { length: numClients },
    (_, i) => `  - { name: site-${i + 1}, type: client, org: nvidia }`,
  )
  return [
    'api_version: 3',
    `name: ${projectName}`,
    'description: fedforge proof-of-concept federation with homomorphic encryption',
    'participants:',
    '  - { name: server, type: server, org: nvidia, fed_learn_port: 8002, default_host: localhost }',
    ...sites,
    `  - { name: "${username}", type: admin, org: nvidia, role: project_admin }`,
    'builders:',
    '  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder',
    '  - path: nvflare.lighter.impl.static_file.StaticFileBuilder',
    '    args: { config_folder: config }',
    '  - path: nvflare.lighter.impl.cert.CertBuilder',
    '  - path: nvflare.lighter.impl.he.HEBuilder',
    '  - path: nvflare.lighter.impl.signature.SignatureBuilder',
    '',
  ].join('\n')
}

/**
 * A local proof-of-concept federation: `deploy` provisions a fresh HE project (a new prod_NN each time)
 * through our provisioner, checks the kits as ProdEnv does and writes the job into the admin kit's
 * `transfer/`. Starting the sites and submitting the job are left to the user (see `nextSteps`).
 */
export class PocEnv implements ExecEnv {
  readonly kind = 'poc' as const
  readonly numClients: number
  readonly workspace: string
  readonly projectName: string
  readonly username: string
  private readonly runtime: RuntimeProbe
  private readonly now: (() => Date) | undefined

  constructor(options: PocEnvOptions) {
    this.numClients = options.numClients ?? 2
    if (!Number.isInteger(this.numClients) || this.numClients < 1) {
      throw new RangeError(`PocEnv: numClients must be a whole number ≥ 1, got ${options.numClients}`)
    }
    this.workspace = options.workspace
    this.projectName = options.projectName ?? 'example_project'
    this.username = options.username ?? 'admin@nvidia.com'
    this.runtime = options.runtime ?? (() => probeNvflare())
    this.now = options.now
  }

  async deploy(job: JobDefinition): Promise<ExecResult> {
    const project = loadProject(
      pocProjectYaml(this.projectName, this.numClients, this.username),
      'poc-project.yml',
    )
    const provisioned = await provision({
      project,
      workspace: this.workspace,
      nvflareVersion: job.nvflareVersion,
      options: { genScripts: true },
      ...(this.now ? { now: this.now } : {}),
    })
    const kits = join(provisioned.prodDir, this.username)
    const inspection = await inspectKits(kits, this.username, { now: this.now })
    const written = writeJob(inspection.admin.uploadDir, job)
    const result = deployResult('poc', job, inspection, written.jobDir, this.runtime)
    const startAll = join(provisioned.prodDir, 'start_all.sh')
    return { ...result, provisionedDir: provisioned.prodDir, nextSteps: [startAll, ...result.nextSteps] }
  }
}
