import type { HeParamsInfo } from '../../he-builder/describe-params.js'
import type { SignedFolder } from '../kit-kinds.js'
import type { ParticipantType } from '../project/types.js'
import type { NvflareVersion } from '../targets/version.js'

/** The outcome of one check: `fail` makes the kit fail, `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail'

/** One check of a kit and what it found. */
export interface Check {
  /**
   * Short, stable name: `layout`, `chain`, `profile`, `identity`, `key`, `signatures`, `he`, `secrets`,
   * `expiry`, `classes`.
   */
  name: string
  status: CheckStatus
  message: string
}

/** How one signed folder of a kit compares with its signature.json (verify and the recipe read this). */
export interface SignedFolderReport {
  folder: SignedFolder
  /** `warn`: no signature.json in a folder without an HE context (NVFlare 2.8+ accepts that). */
  status: CheckStatus
  /** True when the folder has a signature.json that is a JSON object. */
  signed: boolean
  /** Entries whose signature verified with the root CA key. */
  verified: number
  /** What is wrong, one line each (`startup/fed_client.json does not match its signature`). */
  problems: string[]
}

/** The HE context of a server or client kit, as its `he` check read it. */
export interface KitHeReport {
  /** Relative to the kit: `startup/client_context.tenseal`. */
  file: string
  params: HeParamsInfo
  secretKey: boolean
}

/** What `verifyKit` found: every check, and `ok` when none failed. */
export interface KitReport {
  kit: string
  dir: string
  type: ParticipantType | undefined
  /** The NVFlare version the classes were checked against: given, or told from the kit (undefined: every version). */
  nvflareVersion: NvflareVersion | undefined
  checks: Check[]
  /** One per signed folder the kit holds (none when its certificates could not be read). */
  signatures: SignedFolderReport[]
  /** The kit's HE context when it holds one that could be read (a kit without HE: undefined). */
  he: KitHeReport | undefined
  /** SHA-256 of the root CA the kit was checked against (colon-separated hex), when it could be read. */
  rootFingerprint: string | undefined
  ok: boolean
}

/** Options of `verifyKit`: the root CA, the time, and the NVFlare version to check against. */
export interface VerifyOptions {
  /** The root CA to check against (PEM). Default: the kit's own `startup/rootCA.pem`. */
  rootPem?: string
  /** Default: the current time. */
  now?: Date
  /** The NVFlare version the kit must run on. Default: the one its content shows (targets/detect.ts). */
  nvflareVersion?: NvflareVersion
}

export const ok = (name: string, message: string): Check => ({ name, status: 'ok', message })
export const warn = (name: string, message: string): Check => ({ name, status: 'warn', message })
export const fail = (name: string, message: string): Check => ({ name, status: 'fail', message })
