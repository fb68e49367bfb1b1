import { ProvisionError } from '../../../errors.js'

/** Time limits of a run, in seconds: every wait of PocEnv and ProdEnv has one. */
export interface RunTimeouts {
  /** From starting the kits until every client has registered with the server. */
  registration: number
  /** From submitting the job until it is RUNNING. */
  jobStart: number
  /** Each round: RUNNING without a new round (the last one: until the job has finished). */
  round: number
  /** Opening the admin session (NVFlare's new_secure_session). */
  session: number
  /** Stopping each kit gracefully (its stop_fl.sh), before its processes are signalled. */
  stop: number
}

/** The default time limits of a run, in seconds. */
export const DEFAULT_TIMEOUTS: RunTimeouts = {
  registration: 180,
  jobStart: 180,
  round: 600,
  session: 30,
  stop: 30,
}

/** The CLI flags of the limits that have one, for messages (the others: the library option only). */
export const TIMEOUT_FLAGS = {
  registration: '--registration-timeout',
  jobStart: '--start-timeout',
  round: '--round-timeout',
} as const satisfies Partial<Record<keyof RunTimeouts, string>>

const FLAG_OF: Partial<Record<keyof RunTimeouts, string>> = TIMEOUT_FLAGS

const optionName = (key: keyof RunTimeouts) => {
  const flag = FLAG_OF[key]
  return flag ? `timeouts.${key} (${flag})` : `timeouts.${key}`
}

/** `given` over the defaults; each limit must be a positive number of seconds (ProvisionError otherwise). */
export function resolveTimeouts(given: Partial<RunTimeouts> = {}): RunTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS }
  const problems: string[] = []
  for (const key of Object.keys(DEFAULT_TIMEOUTS) as (keyof RunTimeouts)[]) {
    const value = given[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      problems.push(`${optionName(key)}: must be a positive number of seconds, got ${String(value)}`)
    } else timeouts[key] = value
  }
  if (problems.length > 0) {
    throw new ProvisionError('bad-timeout', 'invalid time limit', { problems })
  }
  return timeouts
}
