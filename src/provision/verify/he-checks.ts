import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ReadLimit, readFileBounded } from '../fs/read-bounded.js'
import type { KitKind } from '../kit-kinds.js'
import { Layout } from '../layout.js'
import { type Check, fail, type KitHeReport, ok } from './types.js'

/**
 * The `he` check of a server or client kit that holds its HE context (he-builder's readKitContext: a CKKS
 * context with a scale, 128-bit secure, the secret key only on clients, keys SEAL loads). A kit without
 * one has no `he` check (HE is optional). he-builder (node-seal) is loaded only for a kit that has one.
 */
export async function heContextCheck(
  kitDir: string,
  kind: KitKind,
): Promise<{ check: Check | undefined; he: KitHeReport | undefined }> {
  if (!kind.he) return { check: undefined, he: undefined }
  const file = `${Layout.startup}/${kind.he.file}`
  const path = join(kitDir, file)
  if (!existsSync(path)) return { check: undefined, he: undefined }
  let bytes: Buffer
  try {
    bytes = readFileBounded(path, { what: 'HE context', maxBytes: ReadLimit.heFile, noFollow: true })
  } catch (error) {
    return { check: fail('he', `${file} cannot be read: ${(error as Error).message}`), he: undefined }
  }
  const { readKitContext } = await import('../../he-builder/kit-context.js')
  const { describeHeParams } = await import('../../he-builder/describe-params.js')
  const reading = await readKitContext(new Uint8Array(bytes), { file, secretKey: kind.he.secretKey })
  const he = reading.params && { file, params: reading.params, secretKey: reading.secretKey }
  if (reading.problems.length > 0 || !he) return { check: fail('he', reading.problems.join('; ')), he }
  const key = he.secretKey ? 'the secret key' : 'no secret key'
  return { check: ok('he', `${file}: ${describeHeParams(he.params)}, ${key}, loads in SEAL`), he }
}
