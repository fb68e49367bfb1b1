import { createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { KIT_KINDS, type KitKind, type SignedFolder } from '../kit-kinds.js'
import { Layout } from '../layout.js'
import { compareSignedFolder, signedEntries } from '../pki/signing.js'
import { readJson } from './kit-files.js'
import type { Check, SignedFolderReport } from './types.js'

const HE_FILES = new Set<string>(
  Object.values(KIT_KINDS).flatMap((kind: KitKind) => (kind.he ? [kind.he.file] : [])),
)

async function folderProblems(
  dir: string,
  sub: string,
  key: KeyObject,
  doc: Record<string, unknown>,
): Promise<{ problems: string[]; verified: number }> {
  const { entries, missing } = await compareSignedFolder(dir, key, doc)
  const problems = missing.map((name) => `${sub}/${name} is signed but missing`)
  for (const e of entries) {
    if (e.status === 'unsigned') problems.push(`${sub}/${e.name} is not signed`)
    else if (e.status === 'mismatch') problems.push(`${sub}/${e.name} does not match its signature`)
  }
  return { problems, verified: entries.filter((e) => e.status === 'verified').length }
}

async function folderReport(kitDir: string, sub: SignedFolder, key: KeyObject): Promise<SignedFolderReport> {
  const dir = join(kitDir, sub)
  const unsigned = { folder: sub, signed: false, verified: 0 }
  const sigFile = join(dir, Layout.signature)
  if (!existsSync(sigFile)) {
    const he = (await signedEntries(dir)).some((e) => HE_FILES.has(e.name))
    const text = `${sub}/${Layout.signature} is missing`
    return he
      ? { ...unsigned, status: 'fail', problems: [`${text}; NVFlare refuses an HE kit without it`] }
      : { ...unsigned, status: 'warn', problems: [text] }
  }
  const doc = readJson(sigFile)
  if (!doc) {
    return { ...unsigned, status: 'fail', problems: [`${sub}/${Layout.signature} is not a JSON object`] }
  }
  const { problems, verified } = await folderProblems(dir, sub, key, doc)
  return { folder: sub, signed: true, verified, status: problems.length > 0 ? 'fail' : 'ok', problems }
}

/**
 * One report per signed folder of the kit's kind that it holds: every entry verifies with the root key
 * and no file is unsigned.
 */
export async function signedFolderReports(
  kitDir: string,
  rootPem: string,
  kind: KitKind,
): Promise<SignedFolderReport[]> {
  const key = createPublicKey(rootPem)
  const reports: SignedFolderReport[] = []
  for (const sub of kind.signedFolders) {
    if (existsSync(join(kitDir, sub))) reports.push(await folderReport(kitDir, sub, key))
  }
  return reports
}

/** The `signatures` check of one signed folder: what verified, or what is wrong. */
export function signatureCheck(r: SignedFolderReport): Check {
  const message =
    r.problems.length > 0
      ? r.problems.join('; ')
      : `${r.folder}/: ${r.verified} entries verify with the root CA key`
  return { name: 'signatures', status: r.status, message }
}
