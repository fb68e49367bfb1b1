import { join } from 'node:path'
import { prop, readKitFiles } from '../../provision/verify/kit-files.js'
import type { JobDefinition } from '../job/job-config.js'
import { writeJob } from '../job/write-job.js'
import type { ExecEnv, ExecResult, JobRun } from '../spec.js'
import { inspectKits, type KitsInspection } from './inspect-kits.js'
import { chooseJobTarget } from './kit-target.js'
import type { RunControl } from './runtime/events.js'
import { submitJob } from './runtime/job-driver.js'
import { jobRun, RunTrace, versionWarning } from './runtime/job-run.js'
import type { LogHints } from './runtime/job-types.js'
import { choosePython } from './runtime/python.js'
import { type RunTimeouts, resolveTimeouts } from './runtime/timeouts.js'
import { checkRuntime, probeNvflare, type RuntimeProbe } from './runtime.js'

/** Options of ProdEnv: the admin kit to deploy through, and its user. */
export interface ProdEnvOptions {
  /** The admin's startup kit folder, e.g. `<workspace>/<project>/prod_00/admin@nvidia.com`. */
  startupKitLocation: string
  /** The admin user; must equal the kit certificate's CN (NVFlare's default: admin@nvidia.com). */
  username?: string
  /** `execute` follows the job to its end and downloads the result (default: it returns once submitted). */
  wait?: boolean
  /** The interpreter that runs NVFlare's FLARE API (default: FEDFORGE_PYTHON, else python3 on PATH). */
  python?: string
  /** Environment of the Python process (default: this process's). */
  env?: NodeJS.ProcessEnv
  /** Time limits in seconds (job start, each round, the admin session). */
  timeouts?: Partial<RunTimeouts>
  /** Seconds between the status checks of a running job (default 2). */
  pollSeconds?: number
  /** How `deploy` looks for NVFlare's Python runtime (default: the driver's check with python3). */
  runtime?: RuntimeProbe
}

/** The admin-console command that submits a job folder from the upload folder. */
export function submitCommand(jobName: string): string {
  return `submit_job ${jobName}`
}

/**
 * Provisioned production kits. `deploy` checks the kits (see inspectKits) and writes the job into the admin
 * kit's `transfer/` folder. `execute` does the same and submits the job through the admin kit to the
 * running federation (NVFlare's FLARE API); with `wait` it follows the job to its end and downloads it.
 */
export class ProdEnv implements ExecEnv {
  readonly kind = 'prod' as const
  readonly startupKitLocation: string
  readonly username: string
  readonly wait: boolean
  readonly timeouts: RunTimeouts
  private readonly options: ProdEnvOptions

  constructor(options: ProdEnvOptions) {
    this.startupKitLocation = options.startupKitLocation
    this.username = options.username ?? 'admin@nvidia.com'
    this.wait = options.wait ?? false
    this.timeouts = resolveTimeouts(options.timeouts)
    this.options = options
  }

  /** Runs the kit checks alone (what `deploy` does first). */
  inspect(): Promise<KitsInspection> {
    return inspectKits(this.startupKitLocation, this.username)
  }

  async deploy(job: JobDefinition): Promise<ExecResult> {
    const inspection = await this.inspect()
    const written = writeJob(inspection.admin.uploadDir, job)
    const runtime = this.options.runtime ?? (() => probeNvflare())
    return deployResult('prod', job, inspection, written.jobDir, runtime)
  }

  async execute(job: JobDefinition, control: RunControl = {}): Promise<JobRun> {
    const trace = new RunTrace(control)
    const target = job.nvflareVersion
    trace.clock.begin('check')
    const python = choosePython(this.options.python, this.options.env)
    const env = this.options.env ? { env: this.options.env } : {}
    const signal = control.signal ? { signal: control.signal } : {}
    const check = await checkRuntime({ python: python.command, ...env, ...signal })
    trace.emit({ type: 'runtime', python: check.python, modules: check.modules })
    const mismatch = versionWarning(check, target)
    if (mismatch) trace.warn(mismatch)
    const inspection = await this.inspect()
    if (inspection.clients < job.minClients) trace.warn(tooFewKits(job, inspection))
    for (const warning of chooseJobTarget(job.nvflareVersion, inspection.kits).warnings) trace.warn(warning)
    const jobDir = writeJob(inspection.admin.uploadDir, job).jobDir
    const adminKit = inspection.admin.dir
    const driverLog = join(adminKit, 'fedforge-driver.log')
    const outcome = await submitJob({
      python: check.python,
      adminKit,
      username: this.username,
      jobDir,
      timeouts: this.timeouts,
      wait: this.wait,
      logFile: driverLog,
      logs: prodLogHints(adminKit, driverLog),
      clock: trace.clock,
      ...(this.options.pollSeconds !== undefined ? { pollSeconds: this.options.pollSeconds } : {}),
      afterSubmit:
        'it goes on running on the federation; abort it with `abort_job <job id>` in the admin console',
      ...env,
      ...control,
    })
    if (outcome.clients.length < job.minClients) {
      trace.warn(
        `the server reports ${outcome.clients.length} client(s); job "${job.name}" needs ${job.minClients}`,
      )
    }
    return jobRun({ env: 'prod', job, target, jobDir, adminKit, outcome, check, trace, driverLog })
  }
}

const tooFewKits = (job: JobDefinition, inspection: KitsInspection) =>
  `job "${job.name}" needs ${job.minClients} clients but only ${inspection.clients} client kit(s) were found`

/** Where to look when a wait fails: the server and the sites keep their logs on their own machines. */
function prodLogHints(adminKit: string, driverLog: string): LogHints {
  const admin = readKitFiles(adminKit).fedConfig
  const server = `${String(prop(admin, 'admin', 'host') ?? '?')}:${String(prop(admin, 'admin', 'port') ?? '?')}`
  return {
    session: `check that the server runs and accepts admins at ${server} (startup/fed_admin.json); read ${driverLog}`,
    clients: `read the server's log.txt (in its kit folder on the server machine)`,
    jobStart: (jobId) =>
      `read the server's log.txt and ${jobId}/log.txt in its kit folder on the server machine`,
    round: (jobId) => `read ${jobId}/log.txt in the server's and each client's kit folder, on their machines`,
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
  if (inspection.clients < job.minClients) warnings.push(tooFewKits(job, inspection))
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
