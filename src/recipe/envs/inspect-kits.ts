import { join } from 'node:path'
import { ProvisionError } from '../../errors.js'
import { Layout } from '../../provision/layout.js'
import type { KitCheck } from '../spec.js'
import { type AdminKit, readAdminKit } from './admin-kit.js'
import { checkKitHe, consistencyProblems, type KitHe } from './he-check.js'
import { type FoundKit, findKits, rootProblems, verifySignedFolder } from './kit-scan.js'

/** What ProdEnv and PocEnv found when they checked the kits next to the admin kit. */
export interface KitsInspection {
  admin: AdminKit
  kits: KitCheck[]
  /** The common HE parameters, e.g. `CKKS N=8192 [60, 40, 40] scale 2^40`. */
  heParams: string | undefined
  clients: number
}

/**
 * The checks ProdEnv makes before deploying: the admin kit (user, certificate, root CA), then every kit
 * next to it: same root CA, startup/ (and local/, when signed) verified against the root, an HE context
 * in server and client kits with the secret key only on clients, and one set of HE parameters.
 * Throws one ProvisionError listing every problem.
 */
export async function inspectKits(startupKitLocation: string, username: string): Promise<KitsInspection> {
  const admin = readAdminKit(startupKitLocation, username)
  const found = findKits(admin)
  const problems: string[] = []
  const kits: KitCheck[] = []
  const he: KitHe[] = []
  for (const kit of found) {
    const result = await checkKit(kit, admin)
    problems.push(...result.problems)
    kits.push(result.check)
    if (result.he) he.push(result.he)
  }
  if (!found.some((k) => k.type === 'server')) problems.push(`no server kit next to ${admin.dir}`)
  if (!found.some((k) => k.type === 'client')) problems.push(`no client kit next to ${admin.dir}`)
  problems.push(...consistencyProblems(he))
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
  return { admin, kits, heParams: he[0]?.params, clients: found.filter((k) => k.type === 'client').length }
}

async function checkKit(kit: FoundKit, admin: AdminKit) {
  const problems = rootProblems(kit, admin)
  let signedFiles = 0
  let he: KitHe | undefined
  if ((kit.type === 'server' || kit.type === 'client') && problems.length === 0) {
    const key = admin.rootKey
    const startup = await verifySignedFolder(
      join(kit.dir, Layout.startup),
      `${kit.name}/${Layout.startup}`,
      key,
    )
    problems.push(...startup.problems)
    signedFiles += startup.verified
    const local = join(kit.dir, Layout.local)
    const localResult = await verifySignedFolder(local, `${kit.name}/${Layout.local}`, key)
    if (!localResult.problems.some((p) => p.endsWith(`(no ${Layout.signature})`))) {
      problems.push(...localResult.problems)
      signedFiles += localResult.verified
    }
    const heResult = await checkKitHe(kit)
    problems.push(...heResult.problems)
    he = heResult.he
  }
  const check: KitCheck = {
    name: kit.name,
    type: kit.type,
    dir: kit.dir,
    signedFiles,
    heSecretKey: he?.secretKey,
  }
  return { check, problems, he }
}
