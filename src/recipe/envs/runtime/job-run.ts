import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { isNvflareVersion, type NvflareVersion } from '../../../provision/targets/version.js'
import type { JobDefinition } from '../../job/job-config.js'
import type { JobRun, RunLogs } from '../../spec.js'
import type { RuntimeCheck } from '../runtime.js'
import { PhaseClock, type RunControl, type RunEvent } from './events.js'
import type { JobOutcome } from './job-types.js'
import { findGlobalModel, serverJobLog } from './result-files.js'
import type { LocalKit } from './supervisor.js'

export const COMPLETED = 'FINISHED:COMPLETED'

/** The progress sink, the phase clock and the warnings of one run. */
export class RunTrace {
  readonly clock: PhaseClock
  readonly warnings: string[] = []

  constructor(private readonly control: RunControl) {
    this.clock = new PhaseClock((e) => this.emit(e))
  }

  emit(event: RunEvent): void {
    this.control.onEvent?.(event)
  }

  warn(message: string): void {
    this.warnings.push(message)
    this.emit({ type: 'warning', message })
  }
}

/** The NVFlare line of a `nvflare.__version__` (2.8.1 -> 2.8), when it names one we know. */
export function runtimeLine(version: string | undefined): NvflareVersion | undefined {
  const line = /^(\d+\.\d+)/.exec(version ?? '')?.[1]
  return isNvflareVersion(line) ? line : undefined
}

/** A warning when the interpreter's NVFlare is a release of another line than the job's target. */
export function versionWarning(check: RuntimeCheck, target: NvflareVersion): string | undefined {
  const installed = check.modules['nvflare']
  const line = runtimeLine(installed)
  if (line === undefined || line === target) return undefined
  return `${check.python} has NVFlare ${installed}, but the kits and the job are written for ${target}`
}

export interface JobRunParts {
  env: JobRun['env']
  job: JobDefinition
  target: NvflareVersion
  jobDir: string
  adminKit: string
  outcome: JobOutcome
  check: RuntimeCheck
  trace: RunTrace
  driverLog: string | undefined
  localKits?: LocalKit[]
  provisioned?: { prodDir: string; reused: boolean }
}

export function jobRun(p: JobRunParts): JobRun {
  const { outcome } = p
  const logs: RunLogs = {
    driver: p.driverLog,
    kits: (p.localKits ?? []).map((k) => {
      const jobLog = outcome.jobId ? join(k.dir, outcome.jobId, 'log.txt') : undefined
      return {
        name: k.name,
        type: k.type,
        log: join(k.dir, 'log.txt'),
        jobLog: jobLog && existsSync(jobLog) ? jobLog : undefined,
      }
    }),
    serverJob: serverJobLog(outcome.resultDir),
  }
  return {
    env: p.env,
    jobName: p.job.name,
    jobId: outcome.jobId,
    status: outcome.status,
    completed: outcome.status === COMPLETED,
    jobDir: p.jobDir,
    adminKit: p.adminKit,
    clients: outcome.clients,
    rounds: outcome.lastRound,
    detail: outcome.detail,
    resultDir: outcome.resultDir,
    globalModel: findGlobalModel(outcome.resultDir),
    logs,
    phases: p.trace.clock.phases,
    runtime: { python: p.check.python, modules: p.check.modules },
    nvflareVersion: p.target,
    provisionedDir: p.provisioned?.prodDir,
    reused: p.provisioned?.reused,
    warnings: p.trace.warnings,
  }
}
