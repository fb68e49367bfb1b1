import { checkPrimeSync, createHash, generatePrimeSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  isProbablePrime,
  passesFermatBase2,
  randomProbablePrime,
  sieveWindow,
  smallPrimes,
} from '../../../src/provision/pki/prime-search.mjs'

/** A deterministic byte stream (SHA-256 in counter mode) so that a run can be repeated. */
function seededBytes(seed: string): (size: number) => Uint8Array {
  let counter = 0
  return (size) => {
    const out = Buffer.alloc(size)
    for (let at = 0; at < size; at += 32) {
      createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, at)
    }
    return out
  }
}

describe('random probable primes', () => {
  it('are 1024-bit primes with both top bits set, confirmed by OpenSSL with 64 rounds', () => {
    for (let i = 0; i < 12; i++) {
      const p = randomProbablePrime(1024)
      expect(p.toString(2)).toMatch(/^11[01]{1021}1$/)
      expect(checkPrimeSync(p, { checks: 64 })).toBe(true)
    }
  })

  it('come from the random source: the same bytes give the same prime, other bytes another', () => {
    const a = randomProbablePrime(1024, { randomBytes: seededBytes('a') })
    expect(randomProbablePrime(1024, { randomBytes: seededBytes('a') })).toBe(a)
    expect(randomProbablePrime(1024, { randomBytes: seededBytes('b') })).not.toBe(a)
  })

  it('is the first prime at or after one random start (an incremental search, as prime-search.mjs says)', () => {
    for (const seed of ['inc-1', 'inc-2', 'inc-3']) {
      const start = Buffer.from(seededBytes(seed)(128))
      start[0]! |= 0xc0
      start[127]! |= 1
      const s = BigInt(`0x${start.toString('hex')}`)
      const p = randomProbablePrime(1024, { randomBytes: seededBytes(seed) })
      expect(checkPrimeSync(p, { checks: 64 })).toBe(true)
      expect(p >= s && p - s < 2n * 4096n, seed).toBe(true)
      // Not a fresh candidate per try: every odd number between the start and p is composite.
      for (let n = s; n < p; n += 2n) expect(checkPrimeSync(n, { checks: 8 }), `${seed} ${n - s}`).toBe(false)
    }
  })

  it('Miller-Rabin rejects products of two primes and accepts OpenSSL primes', () => {
    for (let i = 0; i < 10; i++) {
      const p = generatePrimeSync(512, { bigint: true })
      const q = generatePrimeSync(512, { bigint: true })
      expect(isProbablePrime(p * q, 8, randomBytes)).toBe(false)
      const r = generatePrimeSync(1024, { bigint: true })
      expect(isProbablePrime(r, 8, randomBytes)).toBe(true)
      expect(isProbablePrime(r * 3n, 8, randomBytes)).toBe(false)
    }
  })

  it('rejects strong pseudoprimes to base 2 and Carmichael numbers (random bases catch them)', () => {
    // 2047 and 3215031751 pass a base-2 round; 561 and Chernick's (6k+1)(12k+1)(18k+1) pass every Fermat test.
    for (const n of [561n, 2047n, 1373653n, 3215031751n, 2152302898747n, 3474749660383n]) {
      expect(isProbablePrime(n, 8, randomBytes), String(n)).toBe(false)
    }
    let k = (1n << 40n) + 12345n
    for (;;) {
      const [a, b, c] = [6n * k + 1n, 12n * k + 1n, 18n * k + 1n]
      if (checkPrimeSync(a) && checkPrimeSync(b) && checkPrimeSync(c)) {
        expect(isProbablePrime(a * b * c, 8, randomBytes)).toBe(false)
        return
      }
      k += 1n
    }
  })
})

describe('the base-2 Fermat screen', () => {
  const bytesOf = (n: bigint) => {
    const hex = n.toString(16)
    return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
  }
  it('passes primes and fails products of primes', () => {
    for (let i = 0; i < 5; i++) {
      const p = generatePrimeSync(1024, { bigint: true })
      expect(passesFermatBase2(bytesOf(p))).toBe(true)
      const q = generatePrimeSync(512, { bigint: true })
      const r = generatePrimeSync(512, { bigint: true })
      expect(passesFermatBase2(bytesOf(q * r))).toBe(false)
    }
  })

  it('is only a filter: a base-2 pseudoprime passes it, and Miller-Rabin with random bases rejects it', () => {
    const pseudoprime = 3215031751n // 151 * 751 * 28351
    expect(passesFermatBase2(bytesOf(pseudoprime))).toBe(true)
    expect(isProbablePrime(pseudoprime, 5, randomBytes)).toBe(false)
  })
})

describe('the sieve', () => {
  it('marks exactly the candidates with an odd prime factor below 2^16', () => {
    const start = Buffer.from(randomBytes(128))
    start.writeUInt8(start.readUInt8(127) | 1, 127)
    const marked = sieveWindow(start)
    const c = BigInt(`0x${start.toString('hex')}`)
    const primes = [...smallPrimes()]
    const residues = primes.map((p) => Number(c % BigInt(p)))
    const wrong: number[] = []
    for (let k = 0; k < marked.length; k++) {
      const divisible = primes.some((p, i) => (residues[i]! + 2 * k) % p === 0)
      if (Boolean(marked[k]) !== divisible) wrong.push(k)
    }
    expect(marked.length).toBe(4096)
    expect(wrong).toEqual([])
    expect(marked.filter(Boolean).length).toBeGreaterThan(3000) // about 90% of odd numbers have a small factor
  })
})
