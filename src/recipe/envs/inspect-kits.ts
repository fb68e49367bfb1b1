import { ProvisionError } from '../../errors.js'
import type { HeParamsInfo } from '../../he-builder/describe-params.js'
import { verifyKit } from '../../provision/verify/verify-kit.js'
import type { KitCheck } from '../spec.js'
import { type AdminKit, readAdminKit } from './admin-kit.js'
import { commonHeParams, heKeyProblems, missingHe } from './he-check.js'
import { findKits, kitCheck, reportLines, rootProblems, type VerifiedKit } from './kit-scan.js'

/** What ProdEnv and PocEnv found when they checked the kits next to the admin kit. */
export interface KitsInspection {
  admin: AdminKit
  kits: KitCheck[]
  /** The HE parameters every server and client kit shares (describeHeParams writes them). */
  heParams: HeParamsInfo | undefined
  /** SHA-256 of the root CA every kit chains to (colon-separated hex). */
  rootFingerprint: string | undefined
  clients: number
  /** What verifyKit warned about, one line per check, named by kit. */
  warnings: string[]
}

export interface InspectOptions {
  /** The clock the certificates are checked against (default: the current time). */
  now?: () => Date
}

/**
 * The checks ProdEnv and PocEnv make before deploying: the admin kit is the user's, then verifyKit on it
 * and on every kit next to it (each kit's own checks, HE context included), then what holds across kits:
 * one root CA, a server and a client kit, every one with its HE context, one set of HE parameters and
 * one HE key. Throws one ProvisionError listing every problem.
 */
export async function inspectKits(
  startupKitLocation: string,
  username: string,
  options: InspectOptions = {},
): Promise<KitsInspection> {
  const admin = readAdminKit(startupKitLocation, username)
  const now = options.now?.()
  const kits: VerifiedKit[] = []
  for (const kit of findKits(admin.dir)) kits.push({ ...kit, report: await verifyKit(kit.dir, { now }) })
  const adminKit = kits.find((k) => k.dir === admin.dir)
  const problems = [...kits.flatMap((k) => reportLines(k, 'fail')), ...crossKitProblems(kits, admin.dir)]
  if (adminKit) problems.push(...rootProblems(kits, adminKit))
  if (problems.length === 0) problems.push(...(await heKeyProblems(kits)))
  if (problems.length > 0) {
    throw new ProvisionError(
      'kits-not-he-ready',
      `the kits next to ${admin.dir} are not a consistent HE federation`,
      {
        problems,
        hint: 'provision all kits in one run with the HE builder (and do not edit signed files), then try again',
      },
    )
  }
  return {
    admin,
    kits: kits.map(kitCheck),
    heParams: commonHeParams(kits),
    rootFingerprint: adminKit?.report.rootFingerprint,
    clients: kits.filter((k) => k.kind.type === 'client').length,
    warnings: kits.flatMap((k) => reportLines(k, 'warn')),
  }
}

/** Kits the federation needs: a server, a client, each with its HE context. */
function crossKitProblems(kits: VerifiedKit[], adminDir: string): string[] {
  const problems: string[] = []
  if (!kits.some((k) => k.kind.type === 'server')) problems.push(`no server kit next to ${adminDir}`)
  if (!kits.some((k) => k.kind.type === 'client')) problems.push(`no client kit next to ${adminDir}`)
  return [...problems, ...missingHe(kits)]
}
