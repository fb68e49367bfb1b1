import { eachEncodedChunk, encryptChunk } from './ckks-encrypt.js'
import { type HeContext, shapeOf } from './he-context.js'
import type { CipherText, Deletable, PlainText } from './seal.js'
import { checkSealBlob } from './seal-blob.js'
import { type CkksVectorFile, decodeCkksVector, encodeCkksVector } from './tenseal-codec.js'

/**
 * A TenSEAL-compatible CKKS vector held in SEAL memory: one ciphertext per chunk of N/2 values. Encrypt
 * with a client context; add and multiply by a plain scalar with any context of the same parameters (the
 * server's); decrypt with a client context. `delete()` when done.
 */
export class CkksVector implements Deletable {
  private constructor(
    readonly he: HeContext,
    readonly sizes: number[],
    readonly ciphertexts: CipherText[],
    /** TenSEAL's "init scale": every multiplication resets the ciphertexts to it. */
    readonly scale: number,
  ) {}

  static encrypt(he: HeContext, values: ArrayLike<number>): CkksVector {
    const cts: CipherText[] = []
    try {
      const sizes = eachEncodedChunk(he, values, (plain) => cts.push(encryptChunk(he, plain)))
      return new CkksVector(he, sizes, cts, he.scale)
    } catch (error) {
      for (const ct of cts) ct.delete()
      throw error
    }
  }

  static fromBytes(he: HeContext, bytes: Uint8Array): CkksVector {
    return CkksVector.fromFile(he, decodeCkksVector(bytes))
  }

  static fromFile(he: HeContext, file: CkksVectorFile): CkksVector {
    if (file.sizes.length !== file.ciphertexts.length) {
      throw new Error(`CKKS vector: ${file.sizes.length} sizes for ${file.ciphertexts.length} ciphertexts`)
    }
    const cts: CipherText[] = []
    try {
      const shape = shapeOf(he.params)
      for (const blob of file.ciphertexts) {
        checkSealBlob(blob, 'ciphertext', shape)
        const ct = he.seal.CipherText()
        cts.push(ct)
        ct.loadArray(he.context, blob)
      }
    } catch (error) {
      for (const ct of cts) ct.delete()
      throw error
    }
    return new CkksVector(he, [...file.sizes], cts, file.scale)
  }

  /** The number of real values. */
  get length(): number {
    return this.sizes.reduce((sum, n) => sum + n, 0)
  }

  toFile(): CkksVectorFile {
    const zstd = this.he.seal.ComprModeType.zstd
    return {
      sizes: [...this.sizes],
      ciphertexts: this.ciphertexts.map((ct) => ct.saveArray(zstd)),
      scale: this.scale,
    }
  }

  toBytes(): Uint8Array {
    return encodeCkksVector(this.toFile())
  }

  /** Adds `other` element-wise, in place. Operands are first brought to the same level. */
  add(other: CkksVector): this {
    if (other.sizes.join() !== this.sizes.join()) {
      throw new RangeError(`CKKS vectors differ in size: ${this.length} and ${other.length} values`)
    }
    this.ciphertexts.forEach((ct, k) => {
      const theirs = other.ciphertexts[k] as CipherText
      const copy = this.sameLevel(ct, theirs)
      try {
        this.he.evaluator.add(ct, copy ?? theirs, ct)
      } finally {
        copy?.delete()
      }
    })
    return this
  }

  /**
   * Multiplies by a plain scalar, in place, then rescales (TenSEAL's auto-rescale). The scalar is encoded
   * at the scale of the prime that rescaling drops, so the result's scale is exactly the initial scale
   * again: TenSEAL encodes at 2^40 and resets the scale afterwards, which costs ~6.7e-7 relative error.
   */
  mulScalar(scalar: number): this {
    if (!Number.isFinite(scalar) || scalar === 0) {
      throw new RangeError(
        `cannot multiply a CKKS vector by ${scalar} (0 would make a transparent ciphertext)`,
      )
    }
    const slots = new Float64Array(this.he.slotCount).fill(scalar)
    // One encoded scalar per (level, ciphertext scale): every chunk usually shares one.
    const plains = new Map<string, PlainText>()
    try {
      for (const ct of this.ciphertexts) this.mulOne(ct, slots, plains)
    } finally {
      for (const plain of plains.values()) plain.delete()
    }
    return this
  }

  /** Decrypts with `client` (a context holding the secret key; by default the vector's own context). */
  decrypt(client: HeContext = this.he): Float64Array {
    const out = new Float64Array(this.length)
    let offset = 0
    this.ciphertexts.forEach((ct, k) => {
      const plain = client.decryptor.decrypt(ct) as PlainText
      try {
        const slots = client.encoder.decode(plain)
        const size = this.sizes[k] as number
        out.set(slots.subarray(0, size), offset)
        offset += size
      } finally {
        plain.delete()
      }
    })
    return out
  }

  delete(): void {
    for (const ct of this.ciphertexts.splice(0)) ct.delete()
  }

  private mulOne(ct: CipherText, slots: Float64Array, plains: Map<string, PlainText>): void {
    const { chainIndex, lastPrime } = this.he.levelOf(ct)
    if (chainIndex === 0) throw new RangeError('CKKS vector: no level left to rescale after a multiplication')
    const { evaluator } = this.he
    const key = `${chainIndex}:${ct.scale}`
    let plain = plains.get(key)
    if (!plain) {
      plain = this.he.seal.PlainText()
      plains.set(key, plain)
      this.he.encoder.encode(slots, lastPrime * (this.scale / ct.scale), plain)
      const parmsId = ct.parmsId
      try {
        evaluator.plainModSwitchTo(plain, parmsId, plain)
      } finally {
        parmsId.delete()
      }
    }
    evaluator.multiplyPlain(ct, plain, ct)
    evaluator.rescaleToNext(ct, ct)
    ct.setScale(this.scale)
  }

  /** A copy of `theirs` switched down to the level of `mine`; or switches `mine` down in place. */
  private sameLevel(mine: CipherText, theirs: CipherText): CipherText | undefined {
    const a = this.he.levelOf(mine).chainIndex
    const b = this.he.levelOf(theirs).chainIndex
    if (a === b) return undefined
    const lower = a < b ? mine : theirs
    const parmsId = lower.parmsId
    try {
      if (a > b) {
        this.he.evaluator.cipherModSwitchTo(mine, parmsId, mine)
        return undefined
      }
      const copy = this.he.seal.CipherText()
      this.he.evaluator.cipherModSwitchTo(theirs, parmsId, copy)
      return copy
    } finally {
      parmsId.delete()
    }
  }
}
