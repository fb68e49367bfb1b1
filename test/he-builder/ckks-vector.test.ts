import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encryptToBytes } from '../../src/he-builder/ckks-encrypt.js'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { makeHeKeyFiles } from '../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../../src/he-builder/params.js'
import type { PlainText } from '../../src/he-builder/seal.js'
import { decodeCkksVector } from '../../src/he-builder/tenseal-codec.js'
import { maxAbsError } from './helpers.js'

describe('CkksVector on our own contexts', () => {
  let client: HeContext
  let server: HeContext

  beforeAll(async () => {
    const files = await makeHeKeyFiles(DEFAULT_HE_PARAMS)
    client = await HeContext.fromBytes(files.client)
    server = await HeContext.fromBytes(files.server)
  })
  afterAll(() => {
    client.delete()
    server.delete()
  })

  it('round-trips any values through encrypt → bytes → decrypt (property)', () => {
    const values = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), {
      minLength: 1,
      maxLength: 9000,
    })
    fc.assert(
      fc.property(values, (xs) => {
        const bytes = CkksVector.encrypt(client, xs).toBytes()
        const back = CkksVector.fromBytes(client, bytes)
        const error = maxAbsError(back.decrypt(), xs)
        back.delete()
        expect(error).toBeLessThan(1e-6)
      }),
      { numRuns: 8 },
    )
  })

  it('chunks by N/2 and fills each chunk’s slots cyclically, as TenSEAL', () => {
    const xs = Array.from({ length: 4096 + 5 }, (_, i) => i + 0.5)
    const vector = CkksVector.encrypt(client, xs)
    try {
      expect(vector.sizes).toEqual([4096, 5])
      const last = vector.ciphertexts[1]
      if (!last) throw new Error('no second chunk')
      const plain = client.decryptor.decrypt(last) as PlainText
      const slots = client.encoder.decode(plain)
      plain.delete()
      const want = Array.from({ length: 4096 }, (_, i) => 4096 + (i % 5) + 0.5)
      expect(maxAbsError(slots, want)).toBeLessThan(1e-6)
    } finally {
      vector.delete()
    }
  })

  it('makes seeded ciphertexts about half the size, which still decrypt', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => Math.cos(i))
    const full = encryptToBytes(client, xs)
    const seeded = encryptToBytes(client, xs, { seeded: true })
    expect(seeded.length).toBeLessThan(full.length * 0.55)
    expect(decodeCkksVector(seeded).sizes).toEqual([4096, 904])
    const back = CkksVector.fromBytes(server, seeded)
    expect(maxAbsError(back.decrypt(client), xs)).toBeLessThan(1e-6)
    back.delete()
  })

  it('adds vectors at different levels by switching the higher one down', () => {
    const xs = [1, 2, 3, 4]
    const ys = [10, 20, 30, 40]
    const a = CkksVector.encrypt(client, xs).mulScalar(3)
    const b = CkksVector.encrypt(client, ys)
    const c = CkksVector.encrypt(client, ys)
    try {
      expect(maxAbsError(a.add(b).decrypt(), [13, 26, 39, 52])).toBeLessThan(1e-6)
      expect(
        maxAbsError(c.add(CkksVector.encrypt(client, xs).mulScalar(-1)).decrypt(), [9, 18, 27, 36]),
      ).toBeLessThan(1e-6)
    } finally {
      for (const v of [a, b, c]) v.delete()
    }
  })

  it('refuses what TenSEAL cannot do either', () => {
    const a = CkksVector.encrypt(client, [1, 2, 3])
    const b = CkksVector.encrypt(client, [1, 2])
    try {
      expect(() => a.add(b)).toThrow(/differ in size/)
      expect(() => a.mulScalar(0)).toThrow(/transparent/)
      expect(() => a.mulScalar(2).mulScalar(2)).toThrow(/no level left/)
      expect(() => CkksVector.encrypt(client, [])).toThrow(/empty/)
      expect(() => CkksVector.encrypt(server, [1])).toThrow(/cannot encrypt/)
    } finally {
      a.delete()
      b.delete()
    }
  })
})
