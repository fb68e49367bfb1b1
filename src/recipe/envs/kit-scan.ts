import { type KeyObject, X509Certificate } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ReadLimit, readFileBounded } from '../../provision/fs/read-bounded.js'
import { Layout } from '../../provision/layout.js'
import { compareSignedFolder } from '../../provision/pki/signing.js'
import type { KitCheck } from '../spec.js'
import type { AdminKit } from './admin-kit.js'

type KitType = KitCheck['type']

/** A kit found next to the admin kit, before its checks. */
export interface FoundKit {
  name: string
  type: KitType
  dir: string
}

const CONFIG_BY_TYPE: [string, KitType][] = [
  [Layout.fedServer, 'server'],
  [Layout.fedClient, 'client'],
  [Layout.fedAdmin, 'admin'],
  [Layout.fedRelay, 'relay'],
]

const readKitFile = (path: string) =>
  readFileBounded(path, { what: 'kit file', maxBytes: ReadLimit.kitFile, noFollow: true })

/** Every kit in the folder that holds the admin kit (a prod_NN), by its startup/fed_*.json. */
export function findKits(admin: AdminKit): FoundKit[] {
  const parent = dirname(admin.dir)
  const kits: FoundKit[] = []
  for (const name of readdirSync(parent).sort()) {
    const dir = join(parent, name)
    if (!statSync(dir).isDirectory()) continue
    const type = CONFIG_BY_TYPE.find(([file]) => existsSync(join(dir, Layout.startup, file)))?.[1]
    if (type) kits.push({ name, type, dir })
  }
  return kits
}

/** Problems with a kit's root CA compared with the admin's. */
export function rootProblems(kit: FoundKit, admin: AdminKit): string[] {
  const path = join(kit.dir, Layout.startup, Layout.rootCert)
  if (!existsSync(path)) return [`${kit.name}: no ${Layout.startup}/${Layout.rootCert}`]
  try {
    if (new X509Certificate(readKitFile(path)).fingerprint256 === admin.rootFingerprint) return []
  } catch {
    return [`${kit.name}: ${Layout.startup}/${Layout.rootCert} is not a PEM certificate`]
  }
  return [`${kit.name}: signed by a different root CA than the admin kit (another provisioning project?)`]
}

/**
 * Verifies `<dir>/signature.json` with the root public key (RSA-PSS SHA-256): every entry must verify and
 * every file or folder must be covered. Returns the number of verified entries and the problems.
 */
export async function verifySignedFolder(
  dir: string,
  label: string,
  rootKey: KeyObject,
): Promise<{ verified: number; problems: string[] }> {
  const path = join(dir, Layout.signature)
  if (!existsSync(path)) return { verified: 0, problems: [`${label}: not signed (no ${Layout.signature})`] }
  let doc: Record<string, unknown>
  try {
    doc = JSON.parse(readKitFile(path).toString('utf8')) as Record<string, unknown>
  } catch {
    return { verified: 0, problems: [`${label}: ${Layout.signature} is not valid JSON`] }
  }
  const { entries, missing } = await compareSignedFolder(dir, rootKey, doc)
  const problems: string[] = []
  for (const e of entries) {
    if (e.status === 'unsigned') problems.push(`${label}/${e.name}: not covered by ${Layout.signature}`)
    else if (e.status === 'mismatch') {
      problems.push(`${label}/${e.name}: signature does not verify with the root CA (file changed?)`)
    }
  }
  for (const name of missing) problems.push(`${label}/${name}: signed but missing`)
  const verified = entries.filter((e) => e.status === 'verified').length
  return { verified, problems }
}
