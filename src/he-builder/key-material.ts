import { ProvisionError } from '../errors.js'
import { describeEncryptionParams, describeHeParams, sameHeParams } from './describe-params.js'
import { describeParms, shapeOf } from './he-context.js'
import type { HeParams } from './params.js'
import { loadSeal, type Seal, type SealScope, withScope } from './seal.js'
import { checkSealBlob } from './seal-blob.js'
import { sealLoadFailure, sealParamsFailure } from './seal-failure.js'
import { decodeTensealContext, encodeTensealContext, type TensealContextFile } from './tenseal-codec.js'

/** auto relinearize | auto rescale | auto mod switch: what TenSEAL (and so NVFlare) writes. */
export const AUTO_FLAGS_ALL = 7

/** The two context files of a federation, made from one secret key. */
export interface HeKeyFiles {
  /** `client_context.tenseal`: parameters + secret key (every client gets the same file). */
  client: Uint8Array
  /** `server_context.tenseal`: parameters + relinearization keys; no secret key, no public key. */
  server: Uint8Array
  /** True when the secret key came from `existingClient`. */
  reusedKey: boolean
}

export interface HeKeyOptions {
  /**
   * A client context file (ours or TenSEAL's) whose parameters and secret key to reuse, so that kits made
   * now work with kits made before. Without it a new secret key is made.
   */
  existingClient?: Uint8Array
}

/**
 * Makes the server and client context files exactly as NVFlare's HEBuilder does (FORMAT.md): symmetric
 * encryption type, scale 2^scale_bits, auto_flags 7, every SEAL blob zstd-compressed.
 * Randomness: SEAL's own CSPRNG (seeded from the OS); node-seal offers no way to inject another.
 * Parameters SEAL cannot satisfy, and a context to reuse that SEAL cannot load, are ProvisionErrors (exit 2).
 */
export async function makeHeKeyFiles(params: HeParams, options: HeKeyOptions = {}): Promise<HeKeyFiles> {
  const seal = await loadSeal()
  const existing = options.existingClient ? decodeTensealContext(options.existingClient) : undefined
  const existingKey = existing?.private?.secretKey
  if (existing && !existingKey) throw reuseError('holds no secret key')
  if (existing) checkSealBlob(existing.encryptionParameters, 'encryption parameters')
  try {
    return withScope((scope) => makeFiles(seal, scope, params, existing))
  } catch (error) {
    throw existing ? sealLoadFailure(error) : sealParamsFailure(params, error)
  }
}

function makeFiles(
  seal: Seal,
  scope: SealScope,
  params: HeParams,
  existing: TensealContextFile | undefined,
): HeKeyFiles {
  const parms = scope.track(seal.EncryptionParameters(seal.SchemeType.ckks))
  if (existing) parms.loadArray(existing.encryptionParameters)
  else setParams(seal, scope, parms, params)
  const info = checkMatches(seal, parms, params)
  const context = scope.track(seal.Context(parms, true, seal.SecurityLevel.tc128))
  if (!context.parametersSet()) throw new Error('SEAL refuses these parameters for 128-bit security')
  const existingKey = existing?.private?.secretKey
  let keygen: ReturnType<Seal['KeyGenerator']>
  if (existingKey) {
    checkSealBlob(existingKey, 'secret key', shapeOf(info))
    const sk = scope.track(seal.SecretKey())
    sk.loadArray(context, existingKey)
    keygen = scope.track(seal.KeyGenerator(context, sk))
  } else {
    keygen = scope.track(seal.KeyGenerator(context))
  }
  const secretKey = existingKey ?? scope.track(keygen.secretKey()).saveArray(seal.ComprModeType.zstd)
  const relinKeys = scope.track(keygen.createRelinKeys()).saveArray(seal.ComprModeType.zstd)
  const paramsBlob = existing?.encryptionParameters ?? parms.saveArray(seal.ComprModeType.zstd)
  const files = contextFiles(paramsBlob, 2 ** params.scaleBits, secretKey, relinKeys)
  return {
    client: encodeTensealContext(files.client),
    server: encodeTensealContext(files.server),
    reusedKey: existing !== undefined,
  }
}

function reuseError(what: string): ProvisionError {
  return new ProvisionError('he-reuse', `the HE context to reuse ${what}`, {
    hint: 'pass the client context (with the secret key) made for these parameters, or none to make a new key',
  })
}

function setParams(
  seal: Seal,
  scope: SealScope,
  parms: ReturnType<Seal['EncryptionParameters']>,
  p: HeParams,
): void {
  parms.setPolyModulusDegree(p.polyModulusDegree)
  const moduli = scope.track(
    seal.CoeffModulus.Create(p.polyModulusDegree, Int32Array.from(p.coeffModBitSizes)),
  )
  parms.setCoeffModulus(moduli)
}

function checkMatches(
  seal: Seal,
  parms: ReturnType<Seal['EncryptionParameters']>,
  p: HeParams,
): ReturnType<typeof describeParms> {
  const info = describeParms(seal, parms)
  // The blob holds no scale: the kept key takes the scale asked for.
  if (!sameHeParams({ ...info, scaleBits: p.scaleBits }, p)) {
    throw reuseError(
      `has ${describeEncryptionParams(info)}, not the parameters asked for (${describeHeParams(p)})`,
    )
  }
  return info
}

/** The two TenSEAL messages, field for field as NVFlare's HEBuilder writes them. */
export function contextFiles(
  encryptionParameters: Uint8Array,
  scale: number,
  secretKey: Uint8Array,
  relinKeys: Uint8Array,
): { client: TensealContextFile; server: TensealContextFile } {
  const common = { publicKey: undefined, autoFlags: AUTO_FLAGS_ALL, scale, galoisKeys: undefined }
  return {
    client: {
      encryptionParameters,
      public: { ...common, relinKeys: undefined },
      private: { secretKey, relinKeysGenerated: true, galoisKeysGenerated: false },
      encryptionType: 'symmetric',
    },
    server: {
      encryptionParameters,
      public: { ...common, relinKeys },
      private: undefined,
      encryptionType: 'symmetric',
    },
  }
}
