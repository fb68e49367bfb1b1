// Encoding and encrypting a vector chunk by chunk, as TenSEAL lays a CKKSVector out: the one place that
// turns values into ciphertexts (CkksVector.encrypt and encryptToBytes).
import type { HeContext } from './he-context.js'
import type { CipherText, PlainText } from './seal.js'
import { encodeCkksVector } from './tenseal-codec.js'

export interface EncryptOptions {
  /**
   * Seeded ciphertexts (symmetric contexts only): the second polynomial is replaced by the seed that makes
   * it, about half the size on the wire. TenSEAL and SEAL expand it on load. Default false, as TenSEAL.
   */
  seeded?: boolean
}

/** Fills `slots` with one chunk repeated cyclically, as TenSEAL does: `slot[i] = chunk[i % len]`. */
function fillSlots(values: ArrayLike<number>, start: number, end: number, slots: Float64Array): void {
  const len = end - start
  for (let i = 0; i < slots.length; i++) slots[i] = values[start + (i % len)] as number
}

function chunkBounds(length: number, slotCount: number): [number, number][] {
  if (length === 0) throw new RangeError('cannot encrypt an empty vector')
  const bounds: [number, number][] = []
  for (let start = 0; start < length; start += slotCount)
    bounds.push([start, Math.min(length, start + slotCount)])
  return bounds
}

/** Encodes each chunk at the context's scale and hands the plaintext to `use`. */
export function eachEncodedChunk(
  he: HeContext,
  values: ArrayLike<number>,
  use: (plain: PlainText) => void,
): number[] {
  const slots = new Float64Array(he.slotCount)
  const plain = he.seal.PlainText()
  try {
    return chunkBounds(values.length, he.slotCount).map(([start, end]) => {
      fillSlots(values, start, end, slots)
      he.encoder.encode(slots, he.scale, plain)
      use(plain)
      return end - start
    })
  } finally {
    plain.delete()
  }
}

/**
 * Encrypts straight to `CKKSVectorProto` bytes (the only way to produce seeded ciphertexts, which SEAL can
 * serialize but not hold in memory).
 */
export function encryptToBytes(
  he: HeContext,
  values: ArrayLike<number>,
  options: EncryptOptions = {},
): Uint8Array {
  const zstd = he.seal.ComprModeType.zstd
  const symmetric = he.file.encryptionType === 'symmetric'
  const ciphertexts: Uint8Array[] = []
  const sizes = eachEncodedChunk(he, values, (plain) => {
    if (options.seeded) {
      const seeded = symmetric
        ? he.encryptor.encryptSymmetricSerializable(plain)
        : he.encryptor.encryptSerializable(plain)
      ciphertexts.push(seeded.saveArray(zstd))
      seeded.delete()
    } else {
      const ct = encryptChunk(he, plain)
      ciphertexts.push(ct.saveArray(zstd))
      ct.delete()
    }
  })
  return encodeCkksVector({ sizes, ciphertexts, scale: he.scale })
}

export function encryptChunk(he: HeContext, plain: PlainText): CipherText {
  const ct = he.seal.CipherText()
  if (he.file.encryptionType === 'symmetric') he.encryptor.encryptSymmetric(plain, ct)
  else he.encryptor.encrypt(plain, ct)
  return ct
}
