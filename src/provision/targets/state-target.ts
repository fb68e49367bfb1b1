import { join } from 'node:path'
import { ExitCode, isProvisionError, ProvisionError } from '../../errors.js'
import { readTextBounded } from '../fs/read-bounded.js'
import { pathExists } from '../fs/safe-path.js'
import { Layout } from '../layout.js'
import { DEFAULT_NVFLARE_VERSION, isNvflareVersion, type NvflareVersion } from './version.js'

/** Where a run's target came from: the request (`--nvflare-version`), state/ (an earlier run), or the default. */
export type TargetSource = 'requested' | 'state' | 'default'

/** The NVFlare version a run wrote for, where it came from, and the one it replaced. */
export interface RunTarget {
  version: NvflareVersion
  source: TargetSource
  /** The target state/ held when the request changed it; undefined otherwise. */
  changedFrom: NvflareVersion | undefined
}

/** state/target.json is a few bytes; anything larger is not ours. */
const MAX_BYTES = 4096
const KEY = 'nvflare_version'

function corrupt(file: string, detail: string): ProvisionError {
  return new ProvisionError('state-corrupt', `${file}: ${detail}`, {
    exitCode: ExitCode.conflict,
    hint: `restore it from a backup, or delete it and pass --nvflare-version with the version the earlier kits were made for`,
  })
}

function readSmallFile(file: string): string | undefined {
  if (!pathExists(file)) return undefined // no target kept yet
  try {
    return readTextBounded(file, { what: 'target file', maxBytes: MAX_BYTES, noFollow: true })
  } catch (error) {
    if (!isProvisionError(error)) throw error
    throw corrupt(file, `is not a regular file of at most ${MAX_BYTES} bytes (${error.message})`)
  }
}

/** The target kept in `stateDir` by an earlier run, if any. */
export function readStoredTarget(stateDir: string): NvflareVersion | undefined {
  const file = join(stateDir, Layout.targetStateFile)
  const text = readSmallFile(file)
  if (text === undefined) return undefined
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw corrupt(file, 'is not JSON')
  }
  const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[KEY] : undefined
  if (!isNvflareVersion(value))
    throw corrupt(file, `"${KEY}" is ${JSON.stringify(value)}, not a known target`)
  return value
}

/** The run's target: the requested one, else the stored one, else the default. */
export function resolveTarget(
  requested: NvflareVersion | undefined,
  stored: NvflareVersion | undefined,
): RunTarget {
  if (requested !== undefined) {
    const changedFrom = stored !== undefined && stored !== requested ? stored : undefined
    return { version: requested, source: 'requested', changedFrom }
  }
  if (stored !== undefined) return { version: stored, source: 'state', changedFrom: undefined }
  return { version: DEFAULT_NVFLARE_VERSION, source: 'default', changedFrom: undefined }
}

/** The text of state/target.json. */
export function serializeTarget(version: NvflareVersion): string {
  return `${JSON.stringify({ [KEY]: version })}\n`
}
