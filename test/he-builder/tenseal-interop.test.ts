import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { expectedVectors, maxAbsError, readReference } from './helpers.js'

/** Real TenSEAL 0.3.16 files, written as NVFlare's HEBuilder writes them. */
describe('TenSEAL interop', () => {
  let client: HeContext
  let server: HeContext
  const expected = expectedVectors()

  beforeAll(async () => {
    client = await HeContext.fromBytes(readReference('client_context.tenseal'))
    server = await HeContext.fromBytes(readReference('server_context.tenseal'))
  })
  afterAll(() => {
    client.delete()
    server.delete()
  })

  it('reads the parameters of TenSEAL’s contexts', () => {
    expect(client.params).toMatchObject({
      scheme: 'CKKS',
      polyModulusDegree: 8192,
      coeffModBitSizes: [60, 40, 40],
    })
    expect(client.scale).toBe(2 ** 40)
    expect(client.secretKey).toBeDefined()
    expect(server.secretKey).toBeUndefined()
  })

  it.each([
    ['ckks_vector_small.tenseal', 'small'],
    ['ckks_vector_multi.tenseal', 'multi'],
  ] as const)('decrypts %s to expected_vectors.json', (file, key) => {
    const vector = CkksVector.fromBytes(client, readReference(file))
    try {
      expect(maxAbsError(vector.decrypt(), expected[key])).toBeLessThan(1e-6)
    } finally {
      vector.delete()
    }
  })

  it('computes on TenSEAL vectors with TenSEAL’s server context; TenSEAL’s client context decrypts', () => {
    const a = CkksVector.fromBytes(server, readReference('ckks_vector_multi.tenseal'))
    const b = CkksVector.fromBytes(server, readReference('ckks_vector_multi.tenseal'))
    try {
      const bytes = a.add(b).mulScalar(0.25).toBytes()
      const back = CkksVector.fromBytes(client, bytes)
      const want = expected.multi.map((x) => x / 2)
      expect(maxAbsError(back.decrypt(), want)).toBeLessThan(1e-6)
      back.delete()
    } finally {
      a.delete()
      b.delete()
    }
  })

  it('a server context cannot decrypt', () => {
    const vector = CkksVector.fromBytes(server, readReference('ckks_vector_small.tenseal'))
    expect(() => vector.decrypt()).toThrow(/no secret key/)
    vector.delete()
  })
})
