// Random probable primes for RSA keys, about 3x faster than Node 20's generatePrime(1024) (OpenSSL 3.0),
// which always confirms a prime with 64 Miller-Rabin rounds. Plain ESM so that the key-generation worker
// loads it unchanged from src/ and dist/.
//
// The method is an incremental search from one random start (Brandt and Damgard, "On generation of
// probable primes by incremental search", CRYPTO '92), NOT the fresh-candidate-per-try search of FIPS 186-4
// appendix B.3.3:
// - one uniformly random odd start s from the OS random generator, top two bits set (so p > sqrt(2)*2^1023);
// - the window s, s+2, ..., s+2*(WINDOW-1) is tried in order and the first candidate that passes is
//   returned; a new start is drawn only when a window holds no prime (about once in 10^5 windows) or runs
//   past 2^bits;
// - in the window a sieve skips candidates with a prime factor below 2^16 and a Fermat test to base 2
//   skips most of the rest (both only filters: no candidate is accepted on their word);
// - the survivor gets MR_ROUNDS = 5 Miller-Rabin rounds with bases drawn uniformly from [2, n-2]: for the
//   1024-bit primes of a 2048-bit key FIPS 186-5 table B.1 asks for 4 rounds (error < 2^-100) or 5 (error
//   < 2^-112), as FIPS 186-4 table C.2 did. (Those bounds are derived for independent random candidates;
//   Brandt and Damgard analyse the error of the incremental search.)
// So the result is the first probable prime at or after s. Primes are not equally likely: a prime is
// returned when s falls in the gap below it, so primes after long gaps come up more often. Fouque and
// Tibouchi (ICALP 2014) call this PRIMEINC and show its output is easily told apart from uniform; Brandt
// and Damgard bound its entropy close to that of a uniform choice, and no attack on RSA keys from this
// bias is known (many libraries search this way). OpenSSL's BN_generate_prime_ex is close but not the
// same: it too walks from a random start past candidates with a small factor, but draws a new start after
// every candidate that fails Miller-Rabin.
// Why not B.3.3: a fresh 1024-bit candidate per try (trial division in place of the window sieve) measured
// 19.6-32 ms per prime on the 2-core machine against 12.7 ms for this search (issue 14, defect 12), and
// fedforge is no FIPS-validated module either way.
// Every modular exponentiation a^x mod n is done by OpenSSL itself: an RSA public-key operation with
// modulus n and exponent x, without padding, is exactly a^x mod n. The squarings that follow in a
// Miller-Rabin round are done with BigInt.
import { constants, createPublicKey, randomBytes as osRandomBytes, publicEncrypt } from 'node:crypto'

export const MR_ROUNDS = 5
const SIEVE_LIMIT = 1 << 16
const WINDOW = 4096
const SMALL_PRIMES = oddPrimesBelow(SIEVE_LIMIT)
const RECIPROCALS = Float64Array.from(SMALL_PRIMES, (p) => 1 / p)
const NO_PADDING = constants.RSA_NO_PADDING

/** The odd primes the sieve divides by. */
export const smallPrimes = () => SMALL_PRIMES.values()

/** @param {number} limit */
function oddPrimesBelow(limit) {
  const composite = new Uint8Array(limit)
  const out = []
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue
    out.push(i)
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1
  }
  return Float64Array.from(out)
}

/** Big-endian unsigned bytes, minimal length, as base64url (JWK encoding). @param {bigint} x */
export function toBase64Url(x) {
  const hex = x.toString(16)
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url')
}

/** @param {Uint8Array} bytes */
const toBigInt = (bytes) =>
  BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`)

/**
 * The residue of the big-endian number in `limbs` (base 2^32) modulo every small prime, four primes at a
 * time so that their independent chains overlap in the CPU (about 2.5x faster than one at a time).
 * Each step computes x - floor(x/p)*p with a multiplication by 1/p: the quotient may be off by one, so
 * a residue stays in (-p, 2p) until the final normalisation; x stays below 2^50 and every product below
 * 2^53, so all of it is exact in doubles.
 * @param {Float64Array} limbs
 */
function residues(limbs) {
  const count = SMALL_PRIMES.length
  const out = new Float64Array(count)
  const P = SMALL_PRIMES
  const INV = RECIPROCALS
  let i = 0
  for (; i + 4 <= count; i += 4) {
    let r0 = 0
    let r1 = 0
    let r2 = 0
    let r3 = 0
    for (let j = 0; j < limbs.length; j++) {
      const limb = limbs[j]
      const x0 = r0 * 4294967296 + limb
      const x1 = r1 * 4294967296 + limb
      const x2 = r2 * 4294967296 + limb
      const x3 = r3 * 4294967296 + limb
      r0 = x0 - Math.floor(x0 * INV[i]) * P[i]
      r1 = x1 - Math.floor(x1 * INV[i + 1]) * P[i + 1]
      r2 = x2 - Math.floor(x2 * INV[i + 2]) * P[i + 2]
      r3 = x3 - Math.floor(x3 * INV[i + 3]) * P[i + 3]
    }
    out[i] = r0
    out[i + 1] = r1
    out[i + 2] = r2
    out[i + 3] = r3
  }
  for (; i < count; i++) {
    let r = 0
    for (let j = 0; j < limbs.length; j++) {
      const x = r * 4294967296 + limbs[j]
      r = x - Math.floor(x * INV[i]) * P[i]
    }
    out[i] = r
  }
  for (let k = 0; k < count; k++) out[k] = ((out[k] % P[k]) + P[k]) % P[k]
  return out
}

/** Which of c, c+2, …, c+2(WINDOW-1) have a factor below SIEVE_LIMIT. @param {Uint8Array} bytes */
export function sieveWindow(bytes) {
  const composite = new Uint8Array(WINDOW)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const limbs = new Float64Array(bytes.length / 4)
  for (let i = 0; i < limbs.length; i++) limbs[i] = view.getUint32(4 * i)
  const rs = residues(limbs)
  for (let i = 0; i < SMALL_PRIMES.length; i++) {
    const p = SMALL_PRIMES[i]
    // c + 2k ≡ 0 (mod p)  ⇔  k ≡ (p - r) · 2⁻¹ (mod p)
    let k = (((p - rs[i]) % p) * ((p + 1) / 2)) % p
    for (; k < WINDOW; k += p) composite[k] = 1
  }
  return composite
}

/** `bytes` plus `add` as a new big-endian buffer of the same length, or undefined when it overflows. */
function plus(/** @type {Uint8Array} */ bytes, /** @type {number} */ add) {
  const out = Buffer.from(bytes)
  let carry = add
  for (let i = out.length - 1; i >= 0 && carry !== 0; i--) {
    const sum = out[i] + carry
    out[i] = sum & 0xff
    carry = sum >>> 8
  }
  return carry === 0 ? out : undefined
}

/** 2^(n-1) ≡ 1 (mod n): the Fermat test to base 2, on the big-endian bytes of an odd n. @param {Buffer} n */
export function passesFermatBase2(n) {
  const exponent = Buffer.from(n)
  exponent[exponent.length - 1] ^= 1 // n is odd: n - 1 only clears the last bit
  const key = createPublicKey({
    key: { kty: 'RSA', n: n.toString('base64url'), e: exponent.toString('base64url') },
    format: 'jwk',
  })
  const two = Buffer.alloc(n.length)
  two[n.length - 1] = 2
  const out = publicEncrypt({ key, padding: NO_PADDING }, two)
  if (out[out.length - 1] !== 1) return false
  for (let i = 0; i < out.length - 1; i++) if (out[i] !== 0) return false
  return true
}

/**
 * Miller-Rabin with `rounds` bases drawn uniformly from [2, n-2].
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
  const key = createPublicKey({ key: { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(d) }, format: 'jwk' })
  for (let i = 0; i < rounds; i++) {
    const a = (toBigInt(randomBytes(size + 8)) % (n - 3n)) + 2n
    const input = Buffer.from(a.toString(16).padStart(size * 2, '0'), 'hex')
    let x = toBigInt(publicEncrypt({ key, padding: NO_PADDING }, input))
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
 * A probable prime of exactly `bits` bits with its two top bits set: the first one at or after a random
 * odd start (incremental search, see the top of this file; not FIPS 186-4 B.3.3).
 * @param {number} bits a multiple of 32 @param {{ randomBytes?: (size: number) => Uint8Array }} [options]
 */
export function randomProbablePrime(bits, options = {}) {
  const randomBytes = options.randomBytes ?? osRandomBytes
  const size = bits / 8
  for (;;) {
    const start = Buffer.from(randomBytes(size))
    start[0] |= 0xc0
    start[size - 1] |= 1
    const composite = sieveWindow(start)
    for (let k = 0; k < WINDOW; k++) {
      if (composite[k]) continue
      const candidate = plus(start, 2 * k)
      if (!candidate) break // ran past 2^bits: draw again
      if (!passesFermatBase2(candidate)) continue
      const n = toBigInt(candidate)
      if (isProbablePrime(n, MR_ROUNDS, randomBytes)) return n
    }
  }
}
