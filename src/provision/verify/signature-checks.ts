import { createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Layout, SIGNED_FOLDERS } from '../layout.js'
import { compareSignedFolder, signedEntries } from '../pki/signing.js'
import { readJson } from './kit-files.js'
import { type Check, fail, ok, warn } from './types.js'

const HE_FILES = new Set<string>([Layout.serverContext, Layout.clientContext])

async function folderProblems(
  dir: string,
  sub: string,
  key: KeyObject,
  doc: Record<string, unknown>,
): Promise<string[]> {
  const { entries, missing } = await compareSignedFolder(dir, key, doc)
  const problems = missing.map((name) => `${sub}/${name} is signed but missing`)
  for (const e of entries) {
    if (e.status === 'unsigned') problems.push(`${sub}/${e.name} is not signed`)
    else if (e.status === 'mismatch') problems.push(`${sub}/${e.name} does not match its signature`)
  }
  return problems
}

/** One check per signed folder: every entry verifies with the root key and no file is unsigned. */
export async function signatureChecks(kitDir: string, rootPem: string): Promise<Check[]> {
  const key = createPublicKey(rootPem)
  const checks: Check[] = []
  for (const sub of SIGNED_FOLDERS) {
    const dir = join(kitDir, sub)
    if (!existsSync(dir)) continue
    const sigFile = join(dir, Layout.signature)
    if (!existsSync(sigFile)) {
      const he = (await signedEntries(dir)).some((e) => HE_FILES.has(e.name))
      const text = `${sub}/${Layout.signature} is missing`
      checks.push(
        he ? fail('signatures', `${text}; NVFlare refuses an HE kit without it`) : warn('signatures', text),
      )
      continue
    }
    const doc = readJson(sigFile)
    if (!doc) {
      checks.push(fail('signatures', `${sub}/${Layout.signature} is not a JSON object`))
      continue
    }
    const problems = await folderProblems(dir, sub, key, doc)
    checks.push(
      problems.length > 0
        ? fail('signatures', problems.join('; '))
        : ok('signatures', `${sub}/: ${Object.keys(doc).length} entries verify with the root CA key`),
    )
  }
  return checks
}
