import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type KitKind, kitKindOf } from '../../provision/kit-kinds.js'
import type { KitReport } from '../../provision/verify/types.js'
import type { KitCheck } from '../spec.js'

/** A kit found next to the admin kit, before its checks. */
export interface FoundKit {
  name: string
  kind: KitKind
  dir: string
}

/** A kit and what verifyKit found in it. */
export interface VerifiedKit extends FoundKit {
  report: KitReport
}

/** Every kit in the folder that holds the admin kit (a prod_NN), by its startup/fed_*.json (KIT_KINDS). */
export function findKits(adminDir: string): FoundKit[] {
  const parent = dirname(adminDir)
  const kits: FoundKit[] = []
  for (const name of readdirSync(parent).sort()) {
    const dir = join(parent, name)
    if (!statSync(dir).isDirectory()) continue
    const kind = kitKindOf(dir)
    if (kind) kits.push({ name, kind, dir })
  }
  return kits
}

/** What verifyKit found wrong (`fail`) or worth saying (`warn`), one line per check, named by kit. */
export function reportLines(kit: VerifiedKit, status: 'fail' | 'warn'): string[] {
  return kit.report.checks
    .filter((c) => c.status === status)
    .map((c) => `${kit.name}: ${c.name}: ${c.message}`)
}

/** Cross-kit: every kit chains to the admin kit's root CA (one provisioning project). */
export function rootProblems(kits: VerifiedKit[], admin: VerifiedKit): string[] {
  const root = admin.report.rootFingerprint
  if (root === undefined) return []
  return kits
    .filter((k) => k.report.rootFingerprint !== undefined && k.report.rootFingerprint !== root)
    .map((k) => `${k.name}: signed by a different root CA than the admin kit (another provisioning project?)`)
}

/** What an environment reports of one kit: its kind, signed files that verified, and its HE secret key. */
export function kitCheck(kit: VerifiedKit): KitCheck {
  return {
    name: kit.name,
    type: kit.kind.type,
    dir: kit.dir,
    signedFiles: kit.report.signatures.reduce((n, f) => n + f.verified, 0),
    heSecretKey: kit.report.he?.secretKey,
  }
}
