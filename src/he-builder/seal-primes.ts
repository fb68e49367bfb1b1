/**
 * Which coefficient-modulus primes SEAL can make, without loading SEAL. `seal.CoeffModulus.Create(N, sizes)`
 * takes, for every bit size b in `sizes`, the largest primes p ≡ 1 (mod 2N) with 2^(b-1) < p < 2^b, searched
 * downward from 2^b (SEAL's `util::get_primes`), and fails with "failed to find enough qualifying primes"
 * when there are fewer than the sizes ask for. This module runs the same search.
 */

/** The first 12 primes as bases make Miller–Rabin exact below 3.3·10^24 (Sorenson and Webster, 2015). */
const WITNESSES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let b = base % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus
    b = (b * b) % modulus
  }
  return result
}

/** Exact for every n below 3.3·10^24 (SEAL's primes have at most 60 bits). */
export function isPrime(n: bigint): boolean {
  if (n < 2n) return false
  for (const p of WITNESSES) {
    if (n % p === 0n) return n === p
  }
  let d = n - 1n
  let s = 0
  while ((d & 1n) === 0n) {
    d >>= 1n
    s++
  }
  return WITNESSES.every((a) => {
    let x = modPow(a, d, n)
    if (x === 1n || x === n - 1n) return true
    for (let i = 1; i < s; i++) {
      x = (x * x) % n
      if (x === n - 1n) return true
    }
    return false
  })
}

/**
 * How many of `wanted` primes SEAL finds of exactly `bits` bits for degree `degree` (at most `wanted`).
 * The search stops at `wanted`, so its cost is bounded by how many candidates lie between those primes.
 */
export function countSealPrimes(degree: number, bits: number, wanted: number): number {
  const factor = 2n * BigInt(degree)
  const lowerBound = 1n << BigInt(bits - 1)
  let found = 0
  for (
    let value = (((1n << BigInt(bits)) - 1n) / factor) * factor + 1n;
    found < wanted && value > lowerBound;
    value -= factor
  ) {
    if (isPrime(value)) found++
  }
  return found
}

/** The smallest bit size for which SEAL has a prime at this degree (no prime ≡ 1 mod 2N is smaller). */
export function smallestSealPrimeBits(degree: number, maxBits: number): number | undefined {
  for (let bits = 2; bits <= maxBits; bits++) {
    if (countSealPrimes(degree, bits, 1) > 0) return bits
  }
  return undefined
}

/** The first bit size of `sizes` that SEAL cannot supply as often as `sizes` asks, or undefined. */
export function missingSealPrimes(
  degree: number,
  sizes: readonly number[],
): { bits: number; wanted: number; found: number } | undefined {
  const wanted = new Map<number, number>()
  for (const bits of sizes) wanted.set(bits, (wanted.get(bits) ?? 0) + 1)
  for (const [bits, count] of wanted) {
    const found = countSealPrimes(degree, bits, count)
    if (found < count) return { bits, wanted: count, found }
  }
  return undefined
}
