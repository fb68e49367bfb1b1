import { checkPrimeSync, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { KeyPool } from '../../../src/provision/pki/key-pool.js'
import { assembleRsaKey, bitLength, gcd, modInverse } from '../../../src/provision/pki/rsa-keygen.mjs'

const fromB64u = (s: string | undefined): bigint =>
  BigInt(`0x${Buffer.from(s ?? '', 'base64url').toString('hex') || '0'}`)

/** Every check OpenSSL's RSA_check_key makes, plus the FIPS 186-4 conditions of our construction. */
function checkKeyLikeOpenSsl(pem: string): void {
  expect(pem.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true)
  const key = createPrivateKey(pem)
  expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n })
  const jwk = key.export({ format: 'jwk' })
  const [n, e, d, p, q, dp, dq, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(
    fromB64u,
  ) as bigint[]
  expect(n).toBe(p! * q!)
  expect(bitLength(n!)).toBe(2048)
  expect(e).toBe(65537n)
  expect(checkPrimeSync(p!, { checks: 20 })).toBe(true)
  expect(checkPrimeSync(q!, { checks: 20 })).toBe(true)
  const lambda = ((p! - 1n) * (q! - 1n)) / gcd(p! - 1n, q! - 1n)
  expect((d! * e!) % lambda).toBe(1n)
  expect(dp).toBe(d! % (p! - 1n))
  expect(dq).toBe(d! % (q! - 1n))
  expect((qi! * q!) % p!).toBe(1n)
  expect(d! > 1n << 1024n).toBe(true)
  expect((p! > q! ? p! - q! : q! - p!) > 1n << 924n).toBe(true)
  const data = Buffer.from('fedforge key check')
  const pub = createPublicKey(key)
  expect(verify('sha256', data, pub, sign('sha256', data, key))).toBe(true)
  const pss = { padding: 6, saltLength: -2 } as const // RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_MAX_SIGN
  expect(
    verify('sha256', data, { key: pub, padding: 6, saltLength: -2 }, sign('sha256', data, { key, ...pss })),
  ).toBe(true)
}

describe('KeyPool', () => {
  const pool = new KeyPool({ size: 2 })
  afterAll(() => pool.close())

  it('makes distinct RSA-2048 keys that pass every OpenSSL key check', async () => {
    pool.prefetch(6)
    const keys = await Promise.all(Array.from({ length: 6 }, () => pool.take()))
    expect(new Set(keys).size).toBe(6)
    for (const pem of keys) checkKeyLikeOpenSsl(pem)
  })

  it('rejects takes after close', async () => {
    const other = new KeyPool({ size: 1 })
    await other.close()
    await expect(other.take()).rejects.toThrow(/closed/)
  })
})

describe('assembleRsaKey', () => {
  it('refuses primes closer than 2^924', () => {
    const p = (1n << 1023n) + 1155n // not prime, but the distance check comes first
    expect(assembleRsaKey(p, p + 2n)).toBeUndefined()
  })

  it('computes exact modular inverses', () => {
    expect(modInverse(3n, 11n)).toBe(4n)
    expect(() => modInverse(2n, 4n)).toThrow()
  })
})

describe('KeyPool.grow', () => {
  it('adds workers that make keys too, and never shrinks', async () => {
    const pool = new KeyPool({ size: 1 })
    try {
      pool.grow(3)
      expect(pool.size).toBe(3)
      pool.grow(2)
      expect(pool.size).toBe(3)
      pool.prefetch(3)
      const keys = await Promise.all([pool.take(), pool.take(), pool.take()])
      expect(new Set(keys).size).toBe(3)
      for (const pem of keys) checkKeyLikeOpenSsl(pem)
    } finally {
      await pool.close()
    }
  })
})
