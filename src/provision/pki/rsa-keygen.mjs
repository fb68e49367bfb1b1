// RSA-2048 key assembly from two random probable primes (issue 8). Plain ESM (no TypeScript) so that the
// key-generation worker can load it unchanged from src/ (tests, tsx) and from dist/ (the built CLI).
//
// What the construction is, against FIPS 186-4 appendix B.3.3 ("probable primes"):
// - p and q come from prime-search.mjs: each is the first probable prime at or after its own uniformly
//   random odd 1024-bit start with the two top bits set (so p, q >= 1.5 * 2^1023 > sqrt(2) * 2^1023, the
//   bound of B.3.3 step 4.4), sieved by the primes below 2^16, screened by a base-2 Fermat test and
//   confirmed by 5 Miller-Rabin rounds with random bases (FIPS 186-5 table B.1: 5 rounds for < 2^-112).
//   This incremental search is where we depart from B.3.3, which draws a fresh random candidate for every
//   try (steps 4.2-4.8); prime-search.mjs says what that changes and why we keep it. OpenSSL's
//   generatePrime(1024) confirms with 64 rounds, which is why it is about 3x slower; it stays injectable.
// - The other conditions of B.3.3 hold: gcd(e, p-1) = gcd(e, q-1) = 1 with e = 65537 (step 4.5; a prime
//   that fails it is dropped and another searched for), |p - q| > 2^(1024-100) (step 5.4; a new q is
//   searched for), n = pq exactly 2048 bits.
// - d = e^-1 mod lcm(p-1, q-1) (B.3.1, the smallest valid private exponent) and d > 2^1024 (B.3.1 asks
//   for new p and q otherwise; we draw a new q, which happens with probability near 2^-1000); dP, dQ and
//   qInv are computed exactly with BigInt, and the key is imported by OpenSSL from JWK. Tests check every
//   generated key as OpenSSL's RSA_check_key does (n = pq, ed = 1 mod lambda, dP, dQ, qInv, primality
//   with 64 rounds) plus a sign/verify round trip.
import { createPrivateKey } from 'node:crypto'
import { randomProbablePrime, toBase64Url } from './prime-search.mjs'

export const RSA_BITS = 2048
export const PRIME_BITS = 1024
export const PUBLIC_EXPONENT = 65537n

const ONE = 1n
/** FIPS 186-4 B.3.3 step 5.4: |p - q| > 2^(nlen/2 - 100). */
const MIN_PRIME_DISTANCE = ONE << BigInt(RSA_BITS / 2 - 100)
/** FIPS 186-4 B.3.1: d > 2^(nlen/2). */
const MIN_PRIVATE_EXPONENT = ONE << BigInt(RSA_BITS / 2)

/** @param {bigint} x */
export function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length
}

/** @param {bigint} a @param {bigint} b */
export function gcd(a, b) {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** Inverse of a modulo m (extended Euclid); throws when none exists. @param {bigint} a @param {bigint} m */
export function modInverse(a, m) {
  let [r0, r1] = [((a % m) + m) % m, m]
  let [s0, s1] = [1n, 0n]
  while (r1 !== 0n) {
    const quot = r0 / r1
    ;[r0, r1] = [r1, r0 - quot * r1]
    ;[s0, s1] = [s1, s0 - quot * s1]
  }
  if (r0 !== 1n) throw new Error('no modular inverse')
  return ((s0 % m) + m) % m
}

export { toBase64Url }

/** A prime usable with e: gcd(e, p - 1) = 1. @param {() => bigint} nextPrime */
function primeCoprimeToE(nextPrime) {
  for (;;) {
    const p = nextPrime()
    if (bitLength(p) === PRIME_BITS && gcd(PUBLIC_EXPONENT, p - ONE) === ONE) return p
  }
}

/**
 * The full private key (all CRT values, computed exactly) from two primes, or undefined when the pair
 * fails a FIPS 186-4 B.3.1/B.3.3 condition on p, q and d (the caller searches for a new q).
 * @param {bigint} p @param {bigint} q
 */
export function assembleRsaKey(p, q) {
  const distance = p > q ? p - q : q - p
  if (distance <= MIN_PRIME_DISTANCE) return undefined
  const n = p * q
  if (bitLength(n) !== RSA_BITS) return undefined
  const p1 = p - ONE
  const q1 = q - ONE
  const lambda = (p1 / gcd(p1, q1)) * q1
  const d = modInverse(PUBLIC_EXPONENT, lambda)
  if (d <= MIN_PRIVATE_EXPONENT) return undefined
  const [big, small] = p > q ? [p, q] : [q, p]
  return {
    n,
    e: PUBLIC_EXPONENT,
    d,
    p: big,
    q: small,
    dp: d % (big - ONE),
    dq: d % (small - ONE),
    qi: modInverse(small, big),
  }
}

/** @param {NonNullable<ReturnType<typeof assembleRsaKey>>} key */
export function rsaKeyToJwk(key) {
  return {
    kty: 'RSA',
    n: toBase64Url(key.n),
    e: toBase64Url(key.e),
    d: toBase64Url(key.d),
    p: toBase64Url(key.p),
    q: toBase64Url(key.q),
    dp: toBase64Url(key.dp),
    dq: toBase64Url(key.dq),
    qi: toBase64Url(key.qi),
  }
}

/**
 * One RSA-2048 private key as PEM PKCS#1 ("BEGIN RSA PRIVATE KEY").
 * @param {{ nextPrime?: () => bigint }} [options] nextPrime defaults to randomProbablePrime(1024)
 */
export function generateRsaKeyPem(options = {}) {
  const nextPrime = options.nextPrime ?? (() => randomProbablePrime(PRIME_BITS))
  const p = primeCoprimeToE(nextPrime)
  for (;;) {
    const q = primeCoprimeToE(nextPrime)
    const key = assembleRsaKey(p, q)
    if (key) {
      const keyObject = createPrivateKey({ key: rsaKeyToJwk(key), format: 'jwk' })
      return String(keyObject.export({ type: 'pkcs1', format: 'pem' }))
    }
  }
}
