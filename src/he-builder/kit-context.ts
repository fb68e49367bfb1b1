import { createHash } from 'node:crypto'
import { CkksVector } from './ckks-vector.js'
import { contextParams, describeHeParams, type HeParamsInfo } from './describe-params.js'
import { HeContext, shapeOf } from './he-context.js'
import { inspectTenseal, type TensealInfo } from './inspect.js'
import type { PlainText } from './seal.js'
import { checkSealBlob } from './seal-blob.js'
import { sealReason } from './seal-failure.js'
import { decodeTensealContext, type TensealContextFile } from './tenseal-codec.js'

/** What a kit's HE context is, and what is wrong with it for the kit's role. */
export interface KitContextReading {
  /** undefined when the file is not a TenSEAL context. */
  params: HeParamsInfo | undefined
  secretKey: boolean
  problems: string[]
}

/** The role of a context in its kit: the file's name (for messages) and whether it must hold the secret key. */
export interface KitContextRole {
  file: string
  secretKey: boolean
}

/**
 * Reads a kit's TenSEAL context for its role: a context (not a CKKS vector), CKKS with a default scale
 * (what NVFlare's HE filters encrypt with), 128-bit secure parameters, the secret key exactly when the
 * role wants it (clients decrypt; the server must not), and keys SEAL loads. Never throws for a bad file.
 */
export async function readKitContext(bytes: Uint8Array, role: KitContextRole): Promise<KitContextReading> {
  const { file } = role
  let info: TensealInfo | undefined
  try {
    info = await inspectTenseal(bytes)
  } catch {
    info = undefined
  }
  if (info?.kind !== 'context') {
    return { params: undefined, secretKey: false, problems: [`${file} is not a TenSEAL context`] }
  }
  const params = contextParams(info)
  const problems: string[] = []
  if (params.scheme !== 'CKKS')
    problems.push(`${file} is a ${params.scheme} context; NVFlare's HE takes CKKS`)
  if (params.scaleBits === undefined) problems.push(`${file} has no default scale to encrypt at`)
  if (info.securityProblem) {
    problems.push(`${file}: ${describeHeParams(params)} is below 128-bit security (${info.securityProblem})`)
  }
  if (info.keys.secretKey !== role.secretKey) {
    problems.push(
      role.secretKey
        ? `${file} has no secret key, so this client cannot decrypt`
        : `${file} holds the secret key; the server must not be able to decrypt`,
    )
  }
  if (problems.length === 0) {
    const refused = await sealRefusal(bytes)
    if (refused) problems.push(`${file} cannot be loaded by SEAL: ${refused}`)
  }
  return { params, secretKey: info.keys.secretKey, problems }
}

/** Why SEAL refuses the context's parameters, secret key or relinearization keys; undefined when it loads them. */
async function sealRefusal(bytes: Uint8Array): Promise<string | undefined> {
  let he: HeContext | undefined
  try {
    he = await HeContext.fromBytes(bytes)
    const relinKeys = he.file.public.relinKeys
    if (relinKeys) loadRelinKeys(he, relinKeys).delete()
    return undefined
  } catch (error) {
    return sealReason(error)
  } finally {
    he?.delete()
  }
}

function loadRelinKeys(he: HeContext, bytes: Uint8Array) {
  checkSealBlob(bytes, 'relinearization keys', shapeOf(he.params))
  const keys = he.seal.RelinKeys()
  try {
    keys.loadArray(he.context, bytes)
    return keys
  } catch (error) {
    keys.delete()
    throw error
  }
}

/** SHA-256 (hex) of a context's secret key blob, or undefined without one: equal digests, one key. */
export function secretKeyDigest(file: TensealContextFile): string | undefined {
  const key = file.private?.secretKey
  return key ? createHash('sha256').update(key).digest('hex') : undefined
}

/** A few values whose squares CKKS carries far above its noise. */
const PROBE = [0.5, -0.25, 0.75, 1]
const TOLERANCE = 1e-3

/**
 * Whether the server context's relinearization keys were made from the client context's secret key: a
 * square encrypted with the client's key, relinearized with the server's keys, decrypts to the square
 * (with another key's it decrypts to noise). undefined when the server context holds no relinearization
 * keys (then nothing in it ties it to a key). Both contexts must have the same parameters.
 */
export async function serverKeysFitClient(
  server: Uint8Array,
  client: Uint8Array,
): Promise<boolean | undefined> {
  const relinKeys = decodeTensealContext(server).public.relinKeys
  if (!relinKeys) return undefined
  const he = await HeContext.fromBytes(client)
  try {
    let keys: ReturnType<typeof loadRelinKeys>
    try {
      keys = loadRelinKeys(he, relinKeys)
    } catch {
      return false // keys SEAL will not take for the client's parameters fit no key of the client's
    }
    try {
      return squareDecrypts(he, keys)
    } finally {
      keys.delete()
    }
  } finally {
    he.delete()
  }
}

function squareDecrypts(he: HeContext, keys: ReturnType<typeof loadRelinKeys>): boolean {
  const vector = CkksVector.encrypt(he, PROBE)
  const squared = he.seal.CipherText()
  let plain: PlainText | undefined
  try {
    const [ct] = vector.ciphertexts
    if (!ct) return false
    he.evaluator.square(ct, squared)
    he.evaluator.relinearize(squared, keys, squared)
    plain = he.decryptor.decrypt(squared) as PlainText
    const slots = he.encoder.decode(plain)
    return PROBE.every((x, i) => Math.abs((slots[i] ?? Number.NaN) - x * x) < TOLERANCE)
  } finally {
    plain?.delete()
    squared.delete()
    vector.delete()
  }
}
