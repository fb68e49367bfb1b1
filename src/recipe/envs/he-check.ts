import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { inspectTenseal } from '../../he-builder/inspect.js'
import { decodeTensealContext } from '../../he-builder/tenseal-codec.js'
import { ReadLimit, readFileBounded } from '../../provision/fs/read-bounded.js'
import { Layout } from '../../provision/layout.js'
import type { FoundKit } from './kit-scan.js'

/** What one kit's HE context says. */
export interface KitHe {
  kit: string
  /** `CKKS N=8192 [60, 40, 40] scale 2^40`: equal strings mean equal parameters. */
  params: string
  secretKey: boolean
  /** base64 of the secret key blob (clients only), to check every client shares one key. */
  secretKeyId: string | undefined
}

/**
 * Reads the server's or a client's TenSEAL context: it must exist, parse, and hold the secret key exactly
 * when the kit is a client (the server only adds ciphertexts).
 */
export async function checkKitHe(kit: FoundKit): Promise<{ he: KitHe | undefined; problems: string[] }> {
  const file = kit.type === 'server' ? Layout.serverContext : Layout.clientContext
  const path = join(kit.dir, Layout.startup, file)
  if (!existsSync(path)) {
    return { he: undefined, problems: [`${kit.name}: no ${file}; provision the kits with the HE builder`] }
  }
  const bytes = new Uint8Array(
    readFileBounded(path, { what: 'HE context', maxBytes: ReadLimit.heFile, noFollow: true }),
  )
  let info: Awaited<ReturnType<typeof inspectTenseal>>
  try {
    info = await inspectTenseal(bytes)
  } catch {
    return { he: undefined, problems: [`${kit.name}: ${file} is not a TenSEAL context`] }
  }
  if (info.kind !== 'context')
    return { he: undefined, problems: [`${kit.name}: ${file} is not a TenSEAL context`] }
  const problems: string[] = []
  const wantSecret = kit.type === 'client'
  if (info.keys.secretKey !== wantSecret) {
    problems.push(
      wantSecret
        ? `${kit.name}: ${file} has no secret key, so this client cannot decrypt`
        : `${kit.name}: ${file} holds the secret key; the server must not be able to decrypt`,
    )
  }
  const scale = info.scale === undefined ? 'none' : `2^${Math.log2(info.scale)}`
  const params = `${info.scheme} N=${info.polyModulusDegree} [${info.coeffModBitSizes.join(', ')}] scale ${scale}`
  const sk = wantSecret ? decodeTensealContext(bytes).private?.secretKey : undefined
  const secretKeyId = sk ? Buffer.from(sk).toString('base64') : undefined
  return { he: { kit: kit.name, params, secretKey: info.keys.secretKey, secretKeyId }, problems }
}

/** Every context must use the same parameters and every client the same secret key. */
export function consistencyProblems(all: KitHe[]): string[] {
  const problems: string[] = []
  const params = new Set(all.map((h) => h.params))
  if (params.size > 1) {
    problems.push(`HE parameters differ between kits: ${all.map((h) => `${h.kit} ${h.params}`).join('; ')}`)
  }
  const keys = new Set(all.filter((h) => h.secretKeyId !== undefined).map((h) => h.secretKeyId))
  if (keys.size > 1) {
    problems.push('the clients hold different HE secret keys, so they cannot decrypt each other’s aggregate')
  }
  return problems
}
