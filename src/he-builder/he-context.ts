import { ProvisionError } from '../errors.js'
import { describeEncryptionParams } from './describe-params.js'
import { type HeParams, securityProblem } from './params.js'
import {
  type CipherText,
  type Deletable,
  loadSeal,
  type Seal,
  type SealContext,
  type SecretKey,
} from './seal.js'
import { checkSealBlob, type SealShape } from './seal-blob.js'
import { sealLoadFailure, WORKING_PARAMS_HINT } from './seal-failure.js'
import { decodeTensealContext, type TensealContextFile } from './tenseal-codec.js'

type Encoder = ReturnType<Seal['CKKSEncoder']>
type Evaluator = ReturnType<Seal['Evaluator']>
type Encryptor = ReturnType<Seal['Encryptor']>
type Decryptor = ReturnType<Seal['Decryptor']>

/** What the parameters blob of a context says (read with SEAL; TenSEAL compresses it with zstd). */
export interface ParamsInfo {
  scheme: 'CKKS' | 'BFV' | 'BGV' | 'none'
  polyModulusDegree: number
  /** The primes (SEAL takes primes up to 60 bits, so bigint). */
  coeffModuli: bigint[]
  coeffModBitSizes: number[]
  /** BFV/BGV only. */
  plainModulus: bigint | undefined
}

/**
 * A TenSEAL context loaded into node-seal: the SEAL context plus whichever keys the file holds, and the
 * encoder / evaluator / encryptor / decryptor made on demand. Call `delete()` when done.
 */
export class HeContext implements Deletable {
  private readonly owned: Deletable[] = []
  private cache: { encoder?: Encoder; evaluator?: Evaluator; encryptor?: Encryptor; decryptor?: Decryptor } =
    {}

  private constructor(
    readonly seal: Seal,
    readonly file: TensealContextFile,
    readonly context: SealContext,
    readonly params: ParamsInfo,
    readonly secretKey: SecretKey | undefined,
  ) {}

  /** Loads a `.tenseal` context file (ours or TenSEAL's). Relinearization and Galois keys are not loaded. */
  static async fromBytes(bytes: Uint8Array): Promise<HeContext> {
    const seal = await loadSeal()
    return HeContext.fromFile(seal, decodeTensealContext(bytes))
  }

  /**
   * Every blob is checked against what SEAL can hold for the parameters before SEAL inflates it; what SEAL
   * still refuses becomes a ProvisionError (exit 2) with SEAL's reason.
   */
  static fromFile(seal: Seal, file: TensealContextFile): HeContext {
    checkSealBlob(file.encryptionParameters, 'encryption parameters')
    const parms = seal.EncryptionParameters()
    let context: SealContext | undefined
    try {
      parms.loadArray(file.encryptionParameters)
      const params = describeParms(seal, parms)
      context = seal.Context(parms, true, seal.SecurityLevel.tc128)
      if (!context.parametersSet()) throw refusedParams(params)
      const secretKey = loadSecretKey(seal, context, file, shapeOf(params))
      const he = new HeContext(seal, file, context, params, secretKey)
      he.owned.push(context)
      if (secretKey) he.owned.push(secretKey)
      return he
    } catch (error) {
      context?.delete()
      throw sealLoadFailure(error)
    } finally {
      parms.delete()
    }
  }

  /** The default scale (2^40 for NVFlare's contexts). */
  get scale(): number {
    return this.file.public.scale
  }

  get slotCount(): number {
    return this.params.polyModulusDegree / 2
  }

  get encoder(): Encoder {
    this.cache.encoder ??= this.own(this.seal.CKKSEncoder(this.context))
    return this.cache.encoder
  }

  get evaluator(): Evaluator {
    this.cache.evaluator ??= this.own(this.seal.Evaluator(this.context))
    return this.cache.evaluator
  }

  /** Symmetric (secret-key) or public-key encryptor, as the file's encryption type says. */
  get encryptor(): Encryptor {
    this.cache.encryptor ??= this.own(this.makeEncryptor())
    return this.cache.encryptor
  }

  get decryptor(): Decryptor {
    if (!this.secretKey) throw new Error('this HE context holds no secret key: it cannot decrypt')
    this.cache.decryptor ??= this.own(this.seal.Decryptor(this.context, this.secretKey))
    return this.cache.decryptor
  }

  /** The prime that rescaling drops from a ciphertext at this level, and the level's chain index. */
  levelOf(ct: CipherText): { chainIndex: number; lastPrime: number } {
    const parmsId = ct.parmsId
    const data = this.context.getContextData(parmsId)
    const parms = data.parms
    try {
      const moduli = parms.coeffModulus
      return { chainIndex: data.chainIndex, lastPrime: Number(moduli[moduli.length - 1]) }
    } finally {
      parms.delete()
      data.delete()
      parmsId.delete()
    }
  }

  delete(): void {
    for (const object of this.owned.splice(0).reverse()) object.delete()
    this.cache = {}
  }

  private own<T extends Deletable>(object: T): T {
    this.owned.push(object)
    return object
  }

  private makeEncryptor(): Encryptor {
    const { publicKey } = this.file.public
    if (this.file.encryptionType === 'asymmetric' && publicKey) {
      checkSealBlob(publicKey, 'public key', shapeOf(this.params))
      const pk = this.seal.PublicKey()
      try {
        pk.loadArray(this.context, publicKey)
        return this.seal.Encryptor(this.context, pk)
      } finally {
        pk.delete()
      }
    }
    if (!this.secretKey)
      throw new Error('this HE context holds no secret key and no public key: it cannot encrypt')
    // node-seal has no secret-key-only Encryptor: derive a public key and encrypt symmetrically.
    const keygen = this.seal.KeyGenerator(this.context, this.secretKey)
    const pk = keygen.createPublicKey()
    try {
      return this.seal.Encryptor(this.context, pk, this.secretKey)
    } finally {
      pk.delete()
      keygen.delete()
    }
  }
}

function loadSecretKey(
  seal: Seal,
  context: SealContext,
  file: TensealContextFile,
  shape: SealShape,
): SecretKey | undefined {
  const bytes = file.private?.secretKey
  if (!bytes) return undefined
  checkSealBlob(bytes, 'secret key', shape)
  const secretKey = seal.SecretKey()
  try {
    secretKey.loadArray(context, bytes)
    return secretKey
  } catch (error) {
    secretKey.delete()
    throw error
  }
}

function refusedParams(params: ParamsInfo): ProvisionError {
  const insecure = securityProblem(params.polyModulusDegree, params.coeffModBitSizes)
  return new ProvisionError(
    'he-params',
    `SEAL refuses this context's encryption parameters (${describeEncryptionParams(params)})${insecure ? `: ${insecure}` : ''}`,
    { hint: WORKING_PARAMS_HINT },
  )
}

/** N and the prime count, which bound every key and ciphertext blob of a context. */
export function shapeOf(params: ParamsInfo): SealShape {
  return { polyModulusDegree: params.polyModulusDegree, coeffModCount: params.coeffModuli.length }
}

/** Reads scheme, N and the primes out of loaded EncryptionParameters. */
export function describeParms(seal: Seal, parms: ReturnType<Seal['EncryptionParameters']>): ParamsInfo {
  const schemes = [
    ['CKKS', seal.SchemeType.ckks],
    ['BFV', seal.SchemeType.bfv],
    ['BGV', seal.SchemeType.bgv],
  ] as const
  const scheme = schemes.find(([, value]) => value === parms.scheme)?.[0] ?? 'none'
  const coeffModuli = [...parms.coeffModulus]
  let plainModulus: bigint | undefined
  if (scheme !== 'CKKS' && scheme !== 'none') {
    const modulus = parms.plainModulus
    plainModulus = modulus.value
    modulus.delete()
  }
  return {
    scheme,
    polyModulusDegree: parms.polyModulusDegree,
    coeffModuli,
    coeffModBitSizes: coeffModuli.map((q) => q.toString(2).length),
    plainModulus,
  }
}

/** The HeParams a loaded CKKS context corresponds to (scale bits from its default scale). */
export function heParamsOf(he: HeContext): HeParams {
  return {
    scheme: 'CKKS',
    polyModulusDegree: he.params.polyModulusDegree,
    coeffModBitSizes: he.params.coeffModBitSizes,
    scaleBits: Math.round(Math.log2(he.scale)),
  }
}
