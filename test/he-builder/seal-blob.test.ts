import { describe, expect, it } from 'vitest'
import { ExitCode, ProvisionError } from '../../src/errors.js'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { makeHeKeyFiles } from '../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS, type HeParams } from '../../src/he-builder/params.js'
import { loadSeal } from '../../src/he-builder/seal.js'
import { checkSealBlob, inflatedLimit } from '../../src/he-builder/seal-blob.js'
import {
  decodeCkksVector,
  decodeTensealContext,
  encodeCkksVector,
  encodeTensealContext,
} from '../../src/he-builder/tenseal-codec.js'
import { ZSTD_BLOCK_MAX, zstdBound } from '../../src/he-builder/zstd-frames.js'
import { readReference } from './helpers.js'
import { sealBlob, zlibBomb, zstdDeclaring, zstdRleBomb } from './seal-bombs.js'

const SHAPE = { polyModulusDegree: 8192, coeffModCount: 3 }
const GiB = 2 ** 30

function refusal(fn: () => unknown): ProvisionError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisionError)
    return error as ProvisionError
  }
  throw new Error('expected a ProvisionError')
}

describe('SEAL blobs are bounded before SEAL inflates them', () => {
  it('accepts every blob TenSEAL wrote, and reads their zstd sizes exactly', () => {
    const client = decodeTensealContext(readReference('client_context.tenseal'))
    checkSealBlob(client.encryptionParameters, 'encryption parameters')
    checkSealBlob(client.private!.secretKey!, 'secret key', SHAPE)
    for (const ct of decodeCkksVector(readReference('ckks_vector_multi.tenseal')).ciphertexts) {
      checkSealBlob(ct, 'ciphertext', SHAPE)
      const bound = zstdBound(ct.subarray(16))
      // 2 polynomials x 2 primes x 8192 coefficients x 8 bytes, plus 97 bytes of fields.
      expect(bound.declared).toBe(262_241)
      expect(bound.worst - bound.declared!).toBeLessThan(ZSTD_BLOCK_MAX)
    }
  })

  it('accepts what fedforge writes in each compression mode, at N = 4096 and 16384', async () => {
    const seal = await loadSeal()
    for (const [n, bits] of [
      [4096, [40, 20, 40]],
      [16384, [60, 40, 60]],
    ] as const) {
      const he = HeContext.fromFile(
        seal,
        decodeTensealContext(
          (
            await makeHeKeyFiles({
              scheme: 'CKKS',
              polyModulusDegree: n,
              coeffModBitSizes: [...bits],
              scaleBits: bits[1],
            })
          ).client,
        ),
      )
      try {
        const shape = { polyModulusDegree: n, coeffModCount: bits.length }
        const vector = CkksVector.encrypt(he, [1, 2, 3])
        const keygen = seal.KeyGenerator(he.context, he.secretKey!)
        const publicKey = keygen.createPublicKey()
        for (const mode of [seal.ComprModeType.none, seal.ComprModeType.zlib, seal.ComprModeType.zstd]) {
          checkSealBlob(he.secretKey!.saveArray(mode), 'secret key', shape)
          checkSealBlob(publicKey.saveArray(mode), 'public key', shape)
          for (const ct of vector.ciphertexts) checkSealBlob(ct.saveArray(mode), 'ciphertext', shape)
        }
        vector.delete()
        publicKey.delete()
        keygen.delete()
      } finally {
        he.delete()
      }
    }
  })

  it('bounds relinearization keys: what SEAL writes passes (its nested keys take extra blocks), a bomb does not', async () => {
    const seal = await loadSeal()
    for (const [n, bits] of [
      [4096, [40, 20, 40]],
      [16384, [60, 40, 40, 60]],
    ] as const) {
      const params: HeParams = {
        scheme: 'CKKS',
        polyModulusDegree: n,
        coeffModBitSizes: [...bits],
        scaleBits: bits[1],
      }
      const files = await makeHeKeyFiles(params)
      const shape = { polyModulusDegree: n, coeffModCount: bits.length }
      const written = decodeTensealContext(files.server).public.relinKeys!
      checkSealBlob(written, 'relinearization keys', shape)
      const he = HeContext.fromFile(seal, decodeTensealContext(files.client))
      const keys = seal.RelinKeys()
      try {
        keys.loadArray(he.context, written)
        for (const mode of [seal.ComprModeType.none, seal.ComprModeType.zlib, seal.ComprModeType.zstd]) {
          checkSealBlob(keys.saveArray(mode), 'relinearization keys', shape)
        }
      } finally {
        keys.delete()
        he.delete()
      }
      const limit = inflatedLimit('relinearization keys', shape)
      const bomb = sealBlob(zstdRleBomb(2 * limit + 2 * ZSTD_BLOCK_MAX), 'zstd')
      expect(refusal(() => checkSealBlob(bomb, 'relinearization keys', shape)).message).toMatch(
        new RegExp(`relinearization keys blob .* for N=${n} with ${bits.length} primes`),
      )
    }
  })

  it('refuses zstd that can inflate past the limit, declared or not, and broken streams', () => {
    const limit = inflatedLimit('encryption parameters')
    const rle = refusal(() => checkSealBlob(sealBlob(zstdRleBomb(4 * GiB), 'zstd'), 'encryption parameters'))
    expect(rle.message).toMatch(
      /can inflate to 4,294,967,296 bytes once inflated; SEAL's encryption parameters take at most 1,577/,
    )
    expect(rle.exitCode).toBe(ExitCode.badInput)
    expect(rle.hint).toMatch(/damaged or was made to exhaust memory/)
    const declared = refusal(() =>
      checkSealBlob(sealBlob(zstdDeclaring(limit + 1), 'zstd'), 'encryption parameters'),
    )
    expect(declared.message).toMatch(/declares 1,578 bytes/)
    // A secret key may take N x primes x 8 bytes; a stream that can reach two blocks more is refused.
    const skLimit = inflatedLimit('secret key', SHAPE)
    checkSealBlob(sealBlob(zstdRleBomb(skLimit), 'zstd'), 'secret key', SHAPE)
    expect(
      refusal(() =>
        checkSealBlob(sealBlob(zstdRleBomb(skLimit + 2 * ZSTD_BLOCK_MAX), 'zstd'), 'secret key', SHAPE),
      ).message,
    ).toMatch(/secret key blob .* at most 197,632 for N=8192 with 3 primes/)
    const truncated = sealBlob(zstdRleBomb(GiB).subarray(0, 1000), 'zstd')
    expect(refusal(() => checkSealBlob(truncated, 'encryption parameters')).message).toMatch(
      /not a valid zstd stream: the zstd stream is truncated/,
    )
    const dictionary = Buffer.from(zstdDeclaring(100))
    dictionary[4] = 0xc1
    expect(
      refusal(() => checkSealBlob(sealBlob(dictionary, 'zstd'), 'encryption parameters')).message,
    ).toMatch(/dictionary/)
  })

  it('refuses zlib past the limit (inflating at most the limit), oversized raw blobs and lying headers', () => {
    expect(
      refusal(() => checkSealBlob(sealBlob(zlibBomb(64 * 2 ** 20), 'zlib'), 'encryption parameters')).message,
    ).toMatch(/inflates to more than 1,577 bytes/)
    expect(
      refusal(() => checkSealBlob(sealBlob(new Uint8Array(4096), 'none'), 'encryption parameters')).message,
    ).toMatch(/holds 4,096 bytes/)
    const lying = Buffer.from(sealBlob(new Uint8Array(10), 'none'))
    lying.writeBigUInt64LE(1n << 40n, 8)
    expect(refusal(() => checkSealBlob(lying, 'encryption parameters')).message).toMatch(
      /declares 1099511627776 bytes but holds 26/,
    )
    expect(refusal(() => checkSealBlob(new Uint8Array(40), 'ciphertext', SHAPE)).message).toMatch(
      /not a SEAL object/,
    )
  })

  it('guards the library too: HeContext and CkksVector refuse bombs with a ProvisionError', async () => {
    const seal = await loadSeal()
    const client = decodeTensealContext(readReference('client_context.tenseal'))
    const bombedKey = {
      ...client,
      private: { ...client.private!, secretKey: sealBlob(zstdRleBomb(GiB), 'zstd') },
    }
    await expect(HeContext.fromBytes(encodeTensealContext(bombedKey))).rejects.toThrow(
      /secret key blob .*refused before inflating/,
    )
    const he = HeContext.fromFile(seal, client)
    try {
      const vector = decodeCkksVector(readReference('ckks_vector_small.tenseal'))
      const bombed = encodeCkksVector({ ...vector, ciphertexts: [sealBlob(zstdRleBomb(GiB), 'zstd')] })
      expect(() => CkksVector.fromBytes(he, bombed)).toThrow(
        /ciphertext blob .* at most 590,848 for N=8192 with 3 primes/,
      )
    } finally {
      he.delete()
    }
  })
})

describe('HE parameters SEAL cannot satisfy are user errors (exit 2), not bugs', () => {
  const params = (n: number, bits: number[], scaleBits: number): HeParams => ({
    scheme: 'CKKS',
    polyModulusDegree: n,
    coeffModBitSizes: bits,
    scaleBits,
  })

  it('no primes of those sizes exist', async () => {
    const error = await makeHeKeyFiles(params(1024, [10, 8, 8], 8)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProvisionError)
    const e = error as ProvisionError
    expect(e.exitCode).toBe(ExitCode.badInput)
    expect(e.message).toBe(
      'SEAL cannot make HE keys for CKKS N=1024 [10, 8, 8] scale 2^8: there are not enough primes of those sizes that are 1 mod 2N (so at least 12 bits each) (SEAL: failed to find enough qualifying primes)',
    )
    expect(e.hint).toContain('CKKS N=8192 [60, 40, 40] scale 2^40')
  })

  it('primes of 1 bit, and more bits than 128-bit security allows', async () => {
    await expect(makeHeKeyFiles(params(4096, [2, 1, 1], 1))).rejects.toThrow(
      /every prime must have 2 to 60 bits \(SEAL: bit_sizes is invalid\)/,
    )
    await expect(makeHeKeyFiles(params(4096, [60, 60, 60], 60))).rejects.toThrow(
      /total 180 bits, more than the 109 bits/,
    )
  })

  it('a context to reuse with other parameters is refused as such', async () => {
    const existing = readReference('client_context.tenseal')
    const other = { ...DEFAULT_HE_PARAMS, coeffModBitSizes: [60, 40, 40, 60] }
    await expect(makeHeKeyFiles(other, { existingClient: existing })).rejects.toThrow(
      /the HE context to reuse has CKKS N=8192 \[60, 40, 40\], not the parameters asked for/,
    )
  })
})
