import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkHeArgs, MAX_COEFF_BITS_128, usableDegrees } from '../../src/he-builder/params.js'
import { loadSeal, type Seal } from '../../src/he-builder/seal.js'
import { countSealPrimes, isPrime, missingSealPrimes } from '../../src/he-builder/seal-primes.js'

/**
 * The prime search of seal-primes.ts against SEAL itself (node-seal): CoeffModulus.Create succeeds exactly
 * when missingSealPrimes finds nothing missing, and every parameter set checkHeArgs accepts makes a context
 * SEAL calls valid at 128-bit security.
 */
let seal: Seal

beforeAll(async () => {
  seal = await loadSeal()
})

function sealCreates(degree: number, sizes: number[]): boolean {
  try {
    const moduli = seal.CoeffModulus.Create(degree, Int32Array.from(sizes))
    moduli.delete()
    return true
  } catch {
    return false
  }
}

function sealAccepts(degree: number, sizes: number[]): boolean {
  if (!sealCreates(degree, sizes)) return false
  const parms = seal.EncryptionParameters(seal.SchemeType.ckks)
  const moduli = seal.CoeffModulus.Create(degree, Int32Array.from(sizes))
  parms.setPolyModulusDegree(degree)
  parms.setCoeffModulus(moduli)
  const context = seal.Context(parms, true, seal.SecurityLevel.tc128)
  const ok = context.parametersSet()
  for (const o of [context, moduli, parms]) o.delete()
  return ok
}

const DEGREES = Object.keys(MAX_COEFF_BITS_128).map(Number)

describe('isPrime', () => {
  it('agrees with trial division below 20,000 and knows the NTT primes SEAL uses', () => {
    const trial = (n: number) => {
      if (n < 2) return false
      for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
      return true
    }
    for (let n = 0; n < 20_000; n++) expect(isPrime(BigInt(n)), String(n)).toBe(trial(n))
    expect(isPrime(12289n)).toBe(true) // 3·2^12 + 1
    expect(isPrime(1152921504606584833n)).toBe(true) // a 60-bit prime ≡ 1 mod 2^15
    expect(isPrime(1152921504606584833n * 3n)).toBe(false)
    expect(isPrime(3215031751n)).toBe(false) // a strong pseudoprime to bases 2, 3, 5 and 7
  })
})

describe('the SEAL prime search', () => {
  it('finds as many primes as SEAL for every degree, every bit size 2-60, 1 to 3 of a size', () => {
    for (const degree of DEGREES) {
      for (let bits = 2; bits <= 60; bits++) {
        for (const count of [1, 2, 3]) {
          const sizes = Array<number>(count).fill(bits)
          const ours = countSealPrimes(degree, bits, count) === count
          expect(sealCreates(degree, sizes), `N=${degree} ${count}×${bits} bits`).toBe(ours)
        }
      }
    }
  })

  it('refuses exactly the sets SEAL cannot make, the reviewed ones included', () => {
    expect(missingSealPrimes(1024, [10, 8, 8])).toEqual({ bits: 10, wanted: 1, found: 0 })
    expect(sealCreates(1024, [10, 8, 8])).toBe(false)
    expect(sealCreates(4096, [2, 1, 1])).toBe(false)
    expect(missingSealPrimes(8192, [60, 40, 40])).toBeUndefined()
  })
})

describe('checkHeArgs against SEAL', () => {
  it('lists the degrees where some set is accepted (not 1024: its primes are too big for 27 bits)', () => {
    expect(usableDegrees()).toEqual([2048, 4096, 8192, 16384, 32768])
  })

  it('accepts only sets SEAL accepts (property, SEAL-sized bit counts around each degree)', () => {
    const arb = fc.record({
      n: fc.constantFrom(...DEGREES),
      first: fc.integer({ min: 2, max: 60 }),
      scale: fc.integer({ min: 1, max: 59 }),
      middle: fc.integer({ min: 1, max: 2 }),
      special: fc.integer({ min: 1, max: 60 }),
    })
    fc.assert(
      fc.property(arb, ({ n, first, scale, middle, special }) => {
        const sizes = [first, ...Array<number>(middle).fill(scale), special]
        const args = { poly_modulus_degree: n, coeff_mod_bit_sizes: sizes, scale_bits: scale }
        const checked = checkHeArgs(args)
        if (checked.ok) expect(sealAccepts(n, sizes), JSON.stringify(args)).toBe(true)
        else if (first > scale && scale >= 2 && special >= 2 && sealAccepts(n, sizes)) {
          // SEAL takes it, so only our own rules may refuse: security is SEAL's too, so none is left
          expect.fail(`refused a set SEAL accepts: ${JSON.stringify(args)}: ${checked.problem.message}`)
        }
      }),
      { numRuns: 60 },
    )
  })
})
