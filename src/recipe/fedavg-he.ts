import { ProvisionError } from '../errors.js'
import type { RunControl } from './envs/runtime/events.js'
import { buildFedAvgHeJob } from './fedavg-he-job.js'
import type { JobDefinition } from './job/job-config.js'
import { writeJob } from './job/write-job.js'
import type { FedAvgRecipeWithHEOptions } from './options.js'
import { type FedAvgRecipeWithHEResolved, resolveOptions } from './resolve.js'
import type { ExecEnv, ExecResult, ExportResult, JobRun, Recipe } from './spec.js'

export const HE_SIM_ENV_NOT_SUPPORTED =
  'FedAvgRecipeWithHE does not support SimEnv: HE needs the TenSEAL contexts of provisioned kits. ' +
  'Use provisioned startup kits (with the HE builder) and run with ProdEnv or PocEnv.'

/**
 * Federated averaging with homomorphic encryption: the TypeScript twin of NVFlare's FedAvgRecipeWithHE.
 * The constructor validates the options (ProvisionError listing every problem); `export` writes the job
 * folder; `deploy` writes it for PocEnv or ProdEnv and `execute` runs it there (SimEnv is refused, as in
 * NVFlare).
 */
export class FedAvgRecipeWithHE implements Recipe {
  readonly options: FedAvgRecipeWithHEResolved
  readonly job: JobDefinition

  constructor(options: FedAvgRecipeWithHEOptions) {
    this.options = resolveOptions(options)
    this.job = buildFedAvgHeJob(this.options)
  }

  get name(): string {
    return this.job.name
  }

  /** Writes `<jobDir>/<name>/` with meta.json, app/config/*.json and app/custom/*. */
  export(jobDir: string): ExportResult {
    return writeJob(jobDir, this.job)
  }

  /** Writes the job where the environment's runtime picks it up (the admin kit's transfer/); submits nothing. */
  async deploy(env: ExecEnv): Promise<ExecResult> {
    refuseSim(env)
    return env.deploy(this.job)
  }

  /** Runs the job: PocEnv starts a local federation and follows the job to its end; ProdEnv submits it. */
  async execute(env: ExecEnv, control: RunControl = {}): Promise<JobRun> {
    refuseSim(env)
    return env.execute(this.job, control)
  }
}

function refuseSim(env: ExecEnv): void {
  if (env.kind === 'sim') {
    throw new ProvisionError('sim-env-unsupported', HE_SIM_ENV_NOT_SUPPORTED, {
      hint: 'Provision HE kits (`provision -p project.yml` with the HE builder), then use ProdEnv or PocEnv.',
    })
  }
}
