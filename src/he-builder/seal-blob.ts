import { inflateSync } from 'node:zlib'
import { ProvisionError } from '../errors.js'
import { readSealHeader } from './tenseal-codec.js'
import { ZSTD_BLOCK_MAX, ZstdFormatError, zstdBound } from './zstd-frames.js'

/**
 * Bounds on SEAL blobs, checked before SEAL loads them. SEAL inflates a compressed blob whole before it
 * parses a byte of it, so a few hundred KB of zstd could make it allocate gigabytes (issue 14, defect 5).
 * Every blob is checked against what SEAL itself can hold for the parameters before any loadArray.
 */

/** The SEAL objects fedforge loads. Galois keys are never loaded, only described. */
export type SealObjectKind =
  | 'encryption parameters'
  | 'secret key'
  | 'public key'
  | 'ciphertext'
  | 'relinearization keys'

/** N and the number of coefficient-modulus primes: what every key and ciphertext size follows from. */
export interface SealShape {
  polyModulusDegree: number
  coeffModCount: number
}

/** SEAL_COEFF_MOD_COUNT_MAX: SEAL refuses parameters with more primes. */
const MAX_COEFF_MODULI = 64
/** Ciphertexts are loaded with at most this many polynomials (a fresh or relinearized one has 2). */
const MAX_CIPHERTEXT_POLYS = 3
/** Room for the fixed fields of a key or ciphertext (parms_id, sizes, scale, nested headers). */
const FIXED_FIELDS = 1024

/**
 * The most bytes a blob of `kind` can inflate to (its payload after the 16-byte header). Parameters:
 * scheme, N, the count and one 24-byte Modulus object per prime plus the plain modulus (113 bytes for
 * three primes; SEAL takes at most 64). Keys and ciphertexts: 8-byte coefficients, N per prime per
 * polynomial: 1 polynomial for a secret key, 2 for a public key, up to 3 for a ciphertext. Relinearization
 * keys: one key (for s²) of one public key per data prime (every prime but the special one).
 */
export function inflatedLimit(kind: SealObjectKind, shape?: SealShape): number {
  if (kind === 'encryption parameters') return 17 + 24 * (MAX_COEFF_MODULI + 1)
  if (!shape) throw new Error(`the limit for a ${kind} needs the encryption parameters`)
  const poly = 8 * shape.polyModulusDegree * shape.coeffModCount
  if (kind === 'relinearization keys') {
    return Math.max(1, shape.coeffModCount - 1) * (2 * poly + FIXED_FIELDS) + FIXED_FIELDS
  }
  const polys = kind === 'secret key' ? 1 : kind === 'public key' ? 2 : MAX_CIPHERTEXT_POLYS
  return polys * poly + FIXED_FIELDS
}

/** What one check is about: the object, the parameters it belongs to, and its inflated-size cap. */
interface Target {
  kind: SealObjectKind
  shape: SealShape | undefined
  limit: number
}

function refuse(kind: SealObjectKind, what: string): ProvisionError {
  return new ProvisionError('he-blob', `the ${kind} blob in this HE file ${what}`, {
    hint: 'the file is damaged or was made to exhaust memory; use the .tenseal files fedforge or TenSEAL wrote, or restore it from a backup',
  })
}

function tooLarge({ kind, shape, limit }: Target, size: number, how: string): ProvisionError {
  const most = shape
    ? `a ${kind} takes at most ${limit.toLocaleString('en')} for N=${shape.polyModulusDegree} with ${shape.coeffModCount} primes`
    : `SEAL's encryption parameters take at most ${limit.toLocaleString('en')}`
  return refuse(
    kind,
    `${how} ${size.toLocaleString('en')} bytes once inflated; ${most}: refused before inflating`,
  )
}

/**
 * Checks a SEAL blob before SEAL loads it: a SEAL 4.x header whose size is the blob's length, a known
 * compression, and an inflated size (declared, and the worst the stream can reach) within
 * `inflatedLimit(kind, shape)`. zlib streams are inflated by Node with that cap; zstd streams are bounded
 * from their frame and block headers (Node 20 has no zstd), so SEAL's own inflating stays within one zstd
 * block (128 KiB) of the cap.
 */
export function checkSealBlob(bytes: Uint8Array, kind: SealObjectKind, shape?: SealShape): void {
  const header = readSealHeader(bytes)
  if (!header) throw refuse(kind, 'is not a SEAL object (no SEAL header)')
  if (header.size !== bytes.length) {
    throw refuse(kind, `declares ${header.size} bytes but holds ${bytes.length}`)
  }
  const target: Target = { kind, shape, limit: inflatedLimit(kind, shape) }
  const payload = bytes.subarray(16)
  if (header.compression === 'none') {
    if (payload.length > target.limit) throw tooLarge(target, payload.length, 'holds')
  } else if (header.compression === 'zlib') {
    checkZlib(target, payload)
  } else if (header.compression === 'zstd') {
    checkZstd(target, payload)
  } else {
    throw refuse(kind, 'uses an unknown compression mode')
  }
}

function checkZlib(target: Target, payload: Uint8Array): void {
  try {
    inflateSync(payload, { maxOutputLength: target.limit })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(target, target.limit, 'inflates to more than')
    }
    throw refuse(target.kind, 'is not a valid zlib stream')
  }
}

function checkZstd(target: Target, payload: Uint8Array): void {
  let bound: ReturnType<typeof zstdBound>
  try {
    bound = zstdBound(payload)
  } catch (error) {
    if (!(error instanceof ZstdFormatError)) throw error
    throw refuse(target.kind, `is not a valid zstd stream: ${error.message}`)
  }
  if (bound.declared !== undefined && bound.declared > target.limit) {
    throw tooLarge(target, bound.declared, 'declares')
  }
  // SEAL writes the fewest blocks its size needs, so its streams reach at most one block past it; but it
  // writes relinearization keys one nested key at a time, each ending in a partial block (measured: up to
  // twice the blocks their size needs, at N=4096).
  const slack = target.kind === 'relinearization keys' ? target.limit + ZSTD_BLOCK_MAX : ZSTD_BLOCK_MAX
  if (bound.worst > target.limit + slack) throw tooLarge(target, bound.worst, 'can inflate to')
}
