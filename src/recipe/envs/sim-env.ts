import { ProvisionError } from '../../errors.js'
import type { JobDefinition } from '../job/job-config.js'
import type { ExecEnv, ExecResult, JobRun } from '../spec.js'

/** Options of SimEnv (NVFlare's simulator parameters; SimEnv refuses every job). */
export interface SimEnvOptions {
  numClients?: number
  workspace?: string
}

/**
 * NVFlare's simulator environment. fedforge has no simulator of its own and HE jobs cannot run in
 * NVFlare's (no provisioned TenSEAL contexts), so deploying to it is refused with a clear message.
 */
export class SimEnv implements ExecEnv {
  readonly kind = 'sim' as const
  readonly numClients: number
  readonly workspace: string | undefined

  constructor(options: SimEnvOptions = {}) {
    this.numClients = options.numClients ?? 2
    this.workspace = options.workspace
  }

  async deploy(job: JobDefinition): Promise<ExecResult> {
    throw refusal(job)
  }

  async execute(job: JobDefinition): Promise<JobRun> {
    throw refusal(job)
  }
}

function refusal(job: JobDefinition): ProvisionError {
  return new ProvisionError(
    'sim-env-unsupported',
    `SimEnv cannot run job "${job.name}": fedforge does not simulate; use provisioned kits with ProdEnv or PocEnv`,
    {
      hint: 'Export the job with recipe.export(dir) and run `nvflare simulator` yourself if you need one.',
    },
  )
}
