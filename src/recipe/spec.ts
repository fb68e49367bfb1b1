import type { NvflareVersion } from '../provision/targets/version.js'
import type { PhaseTime, RunControl } from './envs/runtime/events.js'
import type { NvflareRuntime } from './envs/runtime.js'
import type { JobDefinition } from './job/job-config.js'

/** What `recipe.export(jobDir)` wrote. */
export interface ExportResult {
  /** `<jobDir>/<job name>` */
  jobDir: string
  /** Files written, relative to `jobDir`, sorted. */
  files: string[]
}

/**
 * A recipe assembles one NVFlare job. `deploy` writes it where an environment's runtime picks it up;
 * `execute` runs it there (PoC: a local federation from start to end; prod: submitted to a running one).
 */
export interface Recipe {
  readonly name: string
  readonly job: JobDefinition
  export(jobDir: string): ExportResult
  deploy(env: ExecEnv): Promise<ExecResult>
  execute(env: ExecEnv, control?: RunControl): Promise<JobRun>
}

/** The kinds of execution environment, as in NVFlare's recipe API. */
export type ExecEnvKind = 'sim' | 'poc' | 'prod'

/** Where a job goes: a simulator, a local proof-of-concept federation, or provisioned production kits. */
export interface ExecEnv {
  readonly kind: ExecEnvKind
  /** Writes the job where the runtime picks it up; never submits. */
  deploy(job: JobDefinition): Promise<ExecResult>
  /** Submits the job (and, where the environment says so, follows it to its end). */
  execute(job: JobDefinition, control?: RunControl): Promise<JobRun>
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
 * The outcome of `recipe.deploy(env)`: the job is written where the runtime picks it up, and `nextSteps`
 * lists the commands that submit it. Nothing was submitted: `recipe.execute(env)` does that.
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

/** The logs of a run: where to read what happened. */
export interface RunLogs {
  /** The runtime driver's stderr (NVFlare's admin-side output). */
  driver: string | undefined
  /** PoC: each local kit's log.txt, and its log of this job (`<kit>/<job id>/log.txt`) once there is one. */
  kits: { name: string; type: 'server' | 'client'; log: string; jobLog: string | undefined }[]
  /** The server's job log in the downloaded result. */
  serverJob: string | undefined
}

/** The outcome of `recipe.execute(env)`: a job submitted to NVFlare, and how far it was followed. */
export interface JobRun {
  env: 'poc' | 'prod'
  jobName: string
  jobId: string
  /** The last status seen: FINISHED:COMPLETED (or another FINISHED:…) when followed, else SUBMITTED. */
  status: string
  /** Whether status is FINISHED:COMPLETED. */
  completed: boolean
  /** The job folder that was submitted. */
  jobDir: string
  adminKit: string
  /** The clients the server reported before the job was submitted. */
  clients: string[]
  /** The last round seen (1-based) of how many. */
  rounds: { round: number; numRounds: number } | undefined
  /** What NVFlare said of the job's deployment when it ended (its meta's job_deploy_detail). */
  detail: string[]
  /** The downloaded result (`<admin kit>/transfer/<job id>`), when the job was followed to its end. */
  resultDir: string | undefined
  /** The global model in the result (FL_global_model.pt), when there is one. */
  globalModel: string | undefined
  logs: RunLogs
  /** How long each phase took, in seconds, in order. */
  phases: PhaseTime[]
  /** The interpreter that drove NVFlare, and what it imported (module -> version). */
  runtime: { python: string; modules: Record<string, string> }
  /** The NVFlare version the kits and the job were written for. */
  nvflareVersion: NvflareVersion
  /** PoC: the prod_NN folder the federation ran from, and whether it was reused. */
  provisionedDir: string | undefined
  reused: boolean | undefined
  warnings: string[]
}
