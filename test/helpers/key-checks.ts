import { checkPrimeSync, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { expect } from 'vitest'
import { bitLength, gcd } from '../../src/provision/pki/rsa-keygen.mjs'

const fromB64u = (s: string | undefined): bigint =>
  BigInt(`0x${Buffer.from(s ?? '', 'base64url').toString('hex') || '0'}`)

/**
 * Every check OpenSSL's RSA_check_key makes, plus the FIPS 186-4 conditions of our construction (which a
 * key from OpenSSL meets too, but for a chance below 2^-100), and a sign/verify round trip (PKCS#1 v1.5
 * and PSS). For a key from any source: PEM PKCS#1, RSA-2048, e = 65537.
 */
export function checkKeyLikeOpenSsl(pem: string): void {
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
