import { ProvisionError } from '../errors.js'
import { describeParms } from './he-context.js'
import { securityProblem } from './params.js'
import { loadSeal } from './seal.js'
import { checkSealBlob } from './seal-blob.js'
import {
  decodeCkksVector,
  decodeTensealContext,
  readSealHeader,
  type SealBlobHeader,
  type TensealContextFile,
} from './tenseal-codec.js'

/** One serialized SEAL object in a .tenseal file: its SEAL header and its size. */
export interface BlobInfo extends SealBlobHeader {
  /** Bytes in the file. */
  bytes: number
}

/** What a TenSEAL context file holds: scheme, parameters, scale, flags and which keys. */
export interface TensealContextInfo {
  kind: 'context'
  fileBytes: number
  scheme: 'CKKS' | 'BFV' | 'BGV' | 'none'
  polyModulusDegree: number
  coeffModBitSizes: number[]
  /** Decimal strings (the primes can exceed 2^53). */
  coeffModuli: string[]
  plainModulus: string | undefined
  /** undefined when the file has none (-1 or omitted). */
  scale: number | undefined
  autoFlags: { relinearize: boolean; rescale: boolean; modSwitch: boolean; value: number }
  encryptionType: 'asymmetric' | 'symmetric'
  keys: {
    publicKey: boolean
    secretKey: boolean
    relinKeys: boolean
    galoisKeys: boolean
    relinKeysGenerated: boolean
    galoisKeysGenerated: boolean
  }
  /** undefined when the parameters give 128-bit security; otherwise why not. */
  securityProblem: string | undefined
  blobs: Record<string, BlobInfo>
}

/** What a TenSEAL CKKS vector file holds: how many values, in which chunks, at which scale. */
export interface CkksVectorInfo {
  kind: 'ckks-vector'
  fileBytes: number
  values: number
  sizes: number[]
  scale: number
  ciphertexts: BlobInfo[]
}

/** What `readTenseal` / `provision inspect` report: a context or a CKKS vector (`kind` tells which). */
export type TensealInfo = TensealContextInfo | CkksVectorInfo

function blob(bytes: Uint8Array): BlobInfo | undefined {
  const header = readSealHeader(bytes)
  return header ? { ...header, bytes: bytes.length } : undefined
}

function notTenseal(cause?: unknown): ProvisionError {
  return new ProvisionError('tenseal-format', 'not a TenSEAL context or CKKS vector file', {
    cause,
    hint: 'inspect reads the .tenseal files that TenSEAL and fedforge write (server_context.tenseal, client_context.tenseal, encrypted vectors)',
  })
}

/**
 * Describes a `.tenseal` file, ours or TenSEAL's: for a context, scheme, N, coefficient moduli, scale,
 * encryption type and which keys it holds; for a CKKS vector, its chunks. Contexts need node-seal to read
 * the (zstd-compressed) parameters blob.
 */
export async function inspectTenseal(bytes: Uint8Array): Promise<TensealInfo> {
  let file: TensealContextFile | undefined
  try {
    file = decodeTensealContext(bytes)
  } catch {
    file = undefined
  }
  if (file && readSealHeader(file.encryptionParameters)) return inspectContext(bytes.length, file)
  try {
    const vector = decodeCkksVector(bytes)
    const ciphertexts = vector.ciphertexts.map(blob)
    if (vector.sizes.length === 0 || vector.sizes.length !== ciphertexts.length) throw notTenseal()
    if (ciphertexts.some((info) => info === undefined)) throw notTenseal()
    return {
      kind: 'ckks-vector',
      fileBytes: bytes.length,
      values: vector.sizes.reduce((sum, n) => sum + n, 0),
      sizes: vector.sizes,
      scale: vector.scale,
      ciphertexts: ciphertexts as BlobInfo[],
    }
  } catch (error) {
    throw error instanceof ProvisionError ? error : notTenseal(error)
  }
}

async function inspectContext(fileBytes: number, file: TensealContextFile): Promise<TensealContextInfo> {
  // The only blob SEAL reads here: bounded before SEAL inflates it. The keys are described, not loaded.
  checkSealBlob(file.encryptionParameters, 'encryption parameters')
  const seal = await loadSeal()
  const parms = seal.EncryptionParameters()
  let params: ReturnType<typeof describeParms>
  try {
    parms.loadArray(file.encryptionParameters)
    params = describeParms(seal, parms)
  } catch (error) {
    throw notTenseal(error)
  } finally {
    parms.delete()
  }
  const { public: pub, private: priv } = file
  const blobs: Record<string, BlobInfo> = {}
  const named = {
    encryptionParameters: file.encryptionParameters,
    publicKey: pub.publicKey,
    relinKeys: pub.relinKeys,
    galoisKeys: pub.galoisKeys,
    secretKey: priv?.secretKey,
  }
  for (const [name, bytes] of Object.entries(named)) {
    const info = bytes ? blob(bytes) : undefined
    if (info) blobs[name] = info
  }
  return {
    kind: 'context',
    fileBytes,
    scheme: params.scheme,
    polyModulusDegree: params.polyModulusDegree,
    coeffModBitSizes: params.coeffModBitSizes,
    coeffModuli: params.coeffModuli.map(String),
    plainModulus: params.plainModulus?.toString(),
    scale: pub.scale > 0 ? pub.scale : undefined,
    autoFlags: {
      relinearize: (pub.autoFlags & 1) !== 0,
      rescale: (pub.autoFlags & 2) !== 0,
      modSwitch: (pub.autoFlags & 4) !== 0,
      value: pub.autoFlags,
    },
    encryptionType: file.encryptionType,
    keys: {
      publicKey: pub.publicKey !== undefined,
      secretKey: priv?.secretKey !== undefined,
      relinKeys: pub.relinKeys !== undefined,
      galoisKeys: pub.galoisKeys !== undefined,
      relinKeysGenerated: priv?.relinKeysGenerated ?? false,
      galoisKeysGenerated: priv?.galoisKeysGenerated ?? false,
    },
    securityProblem: securityProblem(params.polyModulusDegree, params.coeffModBitSizes),
    blobs,
  }
}
