import { ExitCode, ProvisionError, type ProvisionErrorCode } from '../../../errors.js'
import type { DriverRun } from './driver-process.js'
import { interrupted } from './interrupted.js'
import type { JobOutcome, JobSubmission } from './job-types.js'
import type { DriverErrorEvent } from './protocol.js'
import { roundTimeoutMessage } from './round-watch.js'
import { type RunTimeouts, TIMEOUT_FLAGS } from './timeouts.js'

/** The driver bounds its own waits; this backstop ends it when NVFlare hangs inside one call. */
export const quietLimit = (t: RunTimeouts) =>
  (Math.max(t.session, t.registration, t.jobStart, t.round) + 60) * 1000

/** Said after the job's id: what became of it (prod: it goes on; PoC: it was stopped with the federation). */
const afterText = (o: JobOutcome, s: JobSubmission) => (o.jobId && s.afterSubmit ? ` (${s.afterSubmit})` : '')

/** A round that ran out of time (we keep that limit: the driver's show_stats may not answer in time). */
export function roundTimeout(o: JobOutcome, s: JobSubmission): ProvisionError {
  const message = `${roundTimeoutMessage(o.jobId, s.timeouts.round, o.lastRound)}${afterText(o, s)}`
  return new ProvisionError('round-timeout', message, {
    exitCode: ExitCode.failed,
    hint: `${s.logs.round(o.jobId)}; allow more time with ${TIMEOUT_FLAGS.round}`,
  })
}

/** Why the driver did not end well. */
export function runError(run: DriverRun, o: JobOutcome, s: JobSubmission): ProvisionError {
  const job = o.jobId ? `job ${o.jobId}` : 'the job'
  const after = afterText(o, s)
  if (run.aborted) {
    return interrupted(o.jobId ? `while following ${job}${after}` : 'before the job was submitted')
  }
  const last = run.events.at(-1)
  if (last?.event === 'error') return driverError(last, o, s, after)
  const why = run.quiet
    ? `printed nothing for ${quietLimit(s.timeouts) / 1000} s (NVFlare stuck?)`
    : `ended with ${run.code ?? run.signal} without saying why`
  return new ProvisionError('driver-failed', `the runtime driver ${why}, following ${job}${after}`, {
    problems: run.stderrTail.trim().split('\n').slice(-8),
    hint: s.logFile ? `read ${s.logFile}` : s.logs.session,
    exitCode: ExitCode.failed,
  })
}

function driverError(e: DriverErrorEvent, o: JobOutcome, s: JobSubmission, after: string): ProvisionError {
  const failed = { exitCode: ExitCode.failed }
  const message = `${e.message}${after}`
  if (e.kind === 'session')
    return new ProvisionError('admin-session', message, { ...failed, hint: s.logs.session })
  if (e.kind === 'import') {
    return new ProvisionError('python-module-missing', `${s.python} cannot import ${e.module}: ${message}`, {
      exitCode: ExitCode.conflict,
    })
  }
  if (e.kind === 'timeout') {
    const [code, logs, flag]: [ProvisionErrorCode, string, string] =
      e.waiting_for === 'clients'
        ? ['clients-timeout', s.logs.clients, TIMEOUT_FLAGS.registration]
        : e.waiting_for === 'job start'
          ? ['job-start-timeout', s.logs.jobStart(o.jobId), TIMEOUT_FLAGS.jobStart]
          : ['round-timeout', s.logs.round(o.jobId), TIMEOUT_FLAGS.round]
    return new ProvisionError(code, message, { ...failed, hint: `${logs}; allow more time with ${flag}` })
  }
  const where = o.jobId ? s.logs.round(o.jobId) : s.logs.session
  return new ProvisionError('runtime-error', `NVFlare: ${message}`, { ...failed, hint: where })
}
