import type { NvflareVersion } from '../provision/targets/version.js'
import type { NvflareRuntime } from './envs/runtime.js'
import type { JobDefinition } from './job/job-config.js'

/** What `recipe.export(jobDir)` wrote. */
export interface ExportResult {
  /** `<jobDir>/<job name>` */
  jobDir: string
  /** Files written, relative to `jobDir`, sorted. */
  files: string[]
}

/** A recipe assembles one NVFlare job; `execute` hands it to an environment. */
export interface Recipe {
  readonly name: string
  readonly job: JobDefinition
  export(jobDir: string): ExportResult
  execute(env: ExecEnv): Promise<ExecResult>
}

/** The kinds of execution environment, as in NVFlare's recipe API. */
export type ExecEnvKind = 'sim' | 'poc' | 'prod'

/** Where a job goes: a simulator, a local proof-of-concept federation, or provisioned production kits. */
export interface ExecEnv {
  readonly kind: ExecEnvKind
  deploy(job: JobDefinition): Promise<ExecResult>
}

/** One kit looked at by an environment before deploying. */
export interface KitCheck {
  name: string
  type: 'server' | 'client' | 'admin' | 'relay'
  dir: string
  /** Files whose signature verified against the root CA. */
  signedFiles: number
  /** For server/client kits: whether the HE context holds the secret key. */
  heSecretKey: boolean | undefined
}

/**
 * The outcome of `recipe.execute(env)`. fedforge never runs NVFlare itself: the job is written where the
 * runtime picks it up, and `nextSteps` lists the commands that submit it. `trainingRan` is always false.
 */
export interface ExecResult {
  env: ExecEnvKind
  jobName: string
  /** The NVFlare version the job was written for. */
  nvflareVersion: NvflareVersion
  /** The job folder that was written. */
  jobDir: string
  submitted: false
  trainingRan: false
  runtime: NvflareRuntime
  /** Admin kit the job was deployed to (poc, prod). */
  adminKit: string | undefined
  /** The admin-console command that submits the job (poc, prod). */
  submitCommand: string | undefined
  /** Commands to run, in order, to train. */
  nextSteps: string[]
  kits: KitCheck[]
  warnings: string[]
  /** Set by PocEnv: the prod_NN folder it provisioned. */
  provisionedDir: string | undefined
}
