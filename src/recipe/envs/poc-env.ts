import { join } from 'node:path'
import { Layout } from '../../provision/layout.js'
import type { JobDefinition } from '../job/job-config.js'
import { writeJob } from '../job/write-job.js'
import type { ExecEnv, ExecResult, JobRun } from '../spec.js'
import { inspectKits } from './inspect-kits.js'
import { deployResult } from './prod-env.js'
import type { RunControl } from './runtime/events.js'
import { interrupted } from './runtime/interrupted.js'
import { submitJob } from './runtime/job-driver.js'
import { jobRun, RunTrace, versionWarning } from './runtime/job-run.js'
import type { JobOutcome, JobSubmission, LogHints } from './runtime/job-types.js'
import {
  awaitClients,
  kitLog,
  POC_RUN_DIR,
  type PocKits,
  type PocRecord,
  readPocKits,
  registrationHint,
  startFederation,
  stopFederation,
} from './runtime/poc-federation.js'
import { type PocProjectSpec, preparePocProject } from './runtime/poc-project.js'
import { choosePython, kitEnvironment } from './runtime/python.js'
import { followRoundLog, jobNumRounds } from './runtime/round-watch.js'
import { type RunTimeouts, resolveTimeouts } from './runtime/timeouts.js'
import { checkRuntime, probeNvflare, type RuntimeProbe } from './runtime.js'

export { pocProjectYaml } from './runtime/poc-project.js'

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
  /** The interpreter that runs NVFlare (default: FEDFORGE_PYTHON, else python3 on PATH). */
  python?: string
  /** Environment of the Python processes (default: this process's). */
  env?: NodeJS.ProcessEnv
  /** Time limits in seconds (see RunTimeouts; defaults DEFAULT_TIMEOUTS). */
  timeouts?: Partial<RunTimeouts>
  /** Seconds between the status checks of a running job (default 2). */
  pollSeconds?: number
  /** How `deploy` looks for NVFlare's runtime (execute checks it itself, and stops when it is missing). */
  runtime?: RuntimeProbe
  /** Injectable clock for the certificates. */
  now?: () => Date
}

/**
 * A local proof-of-concept federation with HE. `execute` provisions (or reuses) a project for the job's
 * NVFlare version, starts the server and then the clients from their kits, waits until every client has
 * registered, submits the job through the admin kit, follows it to its end, downloads the result and
 * stops every process it started, also on failure and when `control.signal` aborts. `deploy` only
 * provisions and writes the job into the admin kit's `transfer/`.
 */
export class PocEnv implements ExecEnv {
  readonly kind = 'poc' as const
  readonly numClients: number
  readonly workspace: string
  readonly projectName: string
  readonly username: string
  readonly timeouts: RunTimeouts
  private readonly options: PocEnvOptions

  constructor(options: PocEnvOptions) {
    this.numClients = options.numClients ?? 2
    if (!Number.isInteger(this.numClients) || this.numClients < 1) {
      throw new RangeError(`PocEnv: numClients must be a whole number ≥ 1, got ${options.numClients}`)
    }
    this.workspace = options.workspace
    this.projectName = options.projectName ?? 'example_project'
    this.username = options.username ?? 'admin@nvidia.com'
    this.timeouts = resolveTimeouts(options.timeouts)
    this.options = options
  }

  private get spec(): PocProjectSpec {
    return { projectName: this.projectName, numClients: this.numClients, username: this.username }
  }

  async deploy(job: JobDefinition): Promise<ExecResult> {
    const poc = await preparePocProject(this.workspace, this.spec, job.nvflareVersion, this.more())
    const inspection = await inspectKits(
      join(poc.prodDir, this.username),
      this.username,
      this.inspectOptions(),
    )
    const written = writeJob(inspection.admin.uploadDir, job)
    const runtime = this.options.runtime ?? (() => probeNvflare())
    const result = deployResult('poc', job, inspection, written.jobDir, runtime)
    const startAll = join(poc.prodDir, Layout.startAll)
    return { ...result, provisionedDir: poc.prodDir, nextSteps: [startAll, ...result.nextSteps] }
  }

  async execute(job: JobDefinition, control: RunControl = {}): Promise<JobRun> {
    const trace = new RunTrace(control)
    const python = choosePython(this.options.python, this.options.env)
    const target = job.nvflareVersion
    trace.clock.begin('check')
    const check = await checkRuntime({ python: python.command, require: ['tenseal'], ...this.pyEnv(control) })
    trace.emit({ type: 'runtime', python: check.python, modules: check.modules })
    const mismatch = versionWarning(check, target)
    if (mismatch) trace.warn(mismatch)
    trace.clock.begin('provision')
    const poc = await preparePocProject(this.workspace, this.spec, target, this.more(control.signal))
    trace.emit({ type: 'provisioned', prodDir: poc.prodDir, reused: poc.reused })
    const kits = readPocKits(poc.prodDir)
    const inspection = await inspectKits(
      join(poc.prodDir, this.username),
      this.username,
      this.inspectOptions(),
    )
    const jobDir = writeJob(inspection.admin.uploadDir, job).jobDir
    const env = kitEnvironment(python, join(poc.prodDir, POC_RUN_DIR, 'bin'), this.options.env)
    const driverLog = join(poc.prodDir, POC_RUN_DIR, 'driver.log')
    const adminKit = inspection.admin.dir
    const run = { job, kits, env, python: check.python, jobDir, adminKit, driverLog, trace, control }
    const outcome = await this.runFederation(run)
    if (control.signal?.aborted) throw interrupted('the federation was stopped')
    const parts = { env: 'poc' as const, job, target, jobDir, adminKit, outcome, check, trace, driverLog }
    return jobRun({ ...parts, localKits: [kits.server, ...kits.clients], provisioned: poc })
  }

  /** Start, registration, the job, and (always) the stop. */
  private async runFederation(r: FederationRun): Promise<JobOutcome> {
    const { trace, control } = r
    let record: PocRecord | undefined
    try {
      trace.clock.begin('start')
      record = await startFederation({ kits: r.kits, env: r.env, python: r.python, ...control })
      trace.clock.begin('registration')
      await awaitClients(record, r.kits, this.timeouts.registration, control)
      return await submitJob(this.submission(r))
    } finally {
      await this.stop(r, record)
    }
  }

  /** The job through the admin kit: every client awaited, followed to its end, rounds also from the server's job log. */
  private submission(r: FederationRun): JobSubmission {
    return {
      python: r.python,
      env: r.env,
      adminKit: r.adminKit,
      username: this.username,
      jobDir: r.jobDir,
      timeouts: this.timeouts,
      expectClients: r.kits.clients.map((c) => c.name),
      wait: true,
      logFile: r.driverLog,
      logs: pocLogHints(r.kits, r.driverLog),
      afterSubmit: 'the PoC federation was stopped with it',
      watchRounds: (jobId, onRound) => {
        const numRounds = jobNumRounds(r.job)
        const log = join(r.kits.server.dir, jobId, 'log.txt')
        return numRounds === undefined ? () => {} : followRoundLog(log, numRounds, onRound)
      },
      clock: r.trace.clock,
      ...(this.options.pollSeconds !== undefined ? { pollSeconds: this.options.pollSeconds } : {}),
      ...r.control,
    }
  }

  /** Stops every kit of the run (also what a failed start left), and says what is left. */
  private async stop(r: FederationRun, record: PocRecord | undefined): Promise<void> {
    const { trace } = r
    trace.clock.begin('stop')
    const names = [r.kits.server, ...r.kits.clients].map((k) => k.name)
    trace.emit({ type: 'stopping', kits: names })
    const stopScriptMs = this.timeouts.stop * 1000
    const left = await stopFederation(record, { stopScriptMs, env: r.env, kits: r.kits })
    trace.clock.end()
    trace.emit({ type: 'stopped', kits: names, left: left.map((p) => p.pid) })
    if (left.length > 0)
      trace.warn(`processes still running after the stop: ${left.map((p) => p.pid).join(', ')}`)
  }

  private pyEnv(control: RunControl) {
    return {
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(control.signal ? { signal: control.signal } : {}),
    }
  }

  private inspectOptions(): { now?: () => Date } {
    return this.options.now ? { now: this.options.now } : {}
  }

  private more(signal?: AbortSignal) {
    return { ...(this.options.now ? { now: this.options.now } : {}), ...(signal ? { signal } : {}) }
  }
}

interface FederationRun {
  job: JobDefinition
  kits: PocKits
  env: NodeJS.ProcessEnv
  python: string
  jobDir: string
  adminKit: string
  driverLog: string
  trace: RunTrace
  control: RunControl
}

/** Which local logs to read when a wait of a PoC run fails. */
function pocLogHints(kits: PocKits, driverLog: string): LogHints {
  const jobLogs = (jobId: string) =>
    [kits.server, ...kits.clients].map((k) => join(k.dir, jobId || '<job id>', 'log.txt')).join(', ')
  return {
    session: `read ${driverLog} and ${kitLog(kits.server)}`,
    clients: registrationHint(kits),
    jobStart: (jobId) => `read ${kitLog(kits.server)} and ${jobLogs(jobId)}`,
    round: (jobId) => `read ${jobLogs(jobId)}`,
  }
}
