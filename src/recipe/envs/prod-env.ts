import { join } from 'node:path'
import type { JobDefinition } from '../job/job-config.js'
import { writeJob } from '../job/write-job.js'
import type { ExecEnv, ExecResult } from '../spec.js'
import { inspectKits, type KitsInspection } from './inspect-kits.js'
import { chooseJobTarget } from './kit-target.js'
import { probeNvflare, type RuntimeProbe } from './runtime.js'

/** Options of ProdEnv: the admin kit to deploy through, and its user. */
export interface ProdEnvOptions {
  /** The admin's startup kit folder, e.g. `<workspace>/<project>/prod_00/admin@nvidia.com`. */
  startupKitLocation: string
  /** The admin user; must equal the kit certificate's CN (NVFlare's default: admin@nvidia.com). */
  username?: string
  /** How to look for NVFlare's Python runtime (default: `python3 -c "import nvflare"`). */
  runtime?: RuntimeProbe
}

/** The admin-console command that submits a job folder from the upload folder. */
export function submitCommand(jobName: string): string {
  return `submit_job ${jobName}`
}

/**
 * Provisioned production kits. `deploy` checks the kits (see inspectKits), writes the job into the admin
 * kit's `transfer/` folder and returns the admin-console command that submits it. It never submits.
 */
export class ProdEnv implements ExecEnv {
  readonly kind = 'prod' as const
  readonly startupKitLocation: string
  readonly username: string
  private readonly runtime: RuntimeProbe

  constructor(options: ProdEnvOptions) {
    this.startupKitLocation = options.startupKitLocation
    this.username = options.username ?? 'admin@nvidia.com'
    this.runtime = options.runtime ?? (() => probeNvflare())
  }

  /** Runs the kit checks alone (what `deploy` does first). */
  inspect(): Promise<KitsInspection> {
    return inspectKits(this.startupKitLocation, this.username)
  }

  async deploy(job: JobDefinition): Promise<ExecResult> {
    const inspection = await this.inspect()
    const written = writeJob(inspection.admin.uploadDir, job)
    return deployResult('prod', job, inspection, written.jobDir, this.runtime)
  }
}

/** The result PocEnv and ProdEnv return once the job sits in the admin kit's upload folder. */
export function deployResult(
  env: 'prod' | 'poc',
  job: JobDefinition,
  inspection: KitsInspection,
  jobDir: string,
  probe: RuntimeProbe,
): ExecResult {
  const runtime = probe()
  const warnings: string[] = []
  if (inspection.clients < job.minClients) {
    warnings.push(
      `job "${job.name}" needs ${job.minClients} clients but only ${inspection.clients} client kit(s) were found`,
    )
  }
  warnings.push(...inspection.warnings)
  warnings.push(...chooseJobTarget(job.nvflareVersion, inspection.kits).warnings)
  if (!runtime.installed) warnings.push(runtime.message)
  const admin = inspection.admin.dir
  const submit = submitCommand(job.name)
  return {
    env,
    jobName: job.name,
    nvflareVersion: job.nvflareVersion,
    jobDir,
    submitted: false,
    trainingRan: false,
    runtime,
    adminKit: admin,
    submitCommand: submit,
    nextSteps: [`${join(admin, 'startup', 'fl_admin.sh')}`, submit],
    kits: inspection.kits,
    warnings,
    provisionedDir: undefined,
  }
}
