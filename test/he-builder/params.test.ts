import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import {
  contextParams,
  describeEncryptionParams,
  describeHeParams,
  sameHeParams,
} from '../../src/he-builder/describe-params.js'
import {
  DEFAULT_HE_PARAMS,
  MAX_COEFF_BITS_128,
  parseHeArgs,
  securityProblem,
} from '../../src/he-builder/params.js'
import { missingSealPrimes } from '../../src/he-builder/seal-primes.js'

function refusal(args: Record<string, unknown>): ProvisionError {
  try {
    parseHeArgs(args)
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisionError)
    return error as ProvisionError
  }
  throw new Error(`accepted ${JSON.stringify(args)}`)
}

describe('parseHeArgs', () => {
  it('applies NVFlare HEBuilder defaults', () => {
    expect(parseHeArgs({})).toEqual(DEFAULT_HE_PARAMS)
    expect(
      parseHeArgs({ scheme: 'ckks', poly_modulus_degree: 16384, coeff_mod_bit_sizes: [60, 40, 40, 60] }),
    ).toEqual({
      scheme: 'CKKS',
      polyModulusDegree: 16384,
      coeffModBitSizes: [60, 40, 40, 60],
      scaleBits: 40,
    })
  })

  it.each([
    [2048, 17, [19, 17, 17], [21, 17, 17]],
    [4096, 30, [49, 30, 30], [50, 30, 30]],
    [8192, 50, [60, 50, 50, 58], [60, 50, 50, 59]],
  ])('refuses parameter sets under 128-bit security at N=%i', (n, scale, ok, tooMany) => {
    expect(ok.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_COEFF_BITS_128[n] as number)
    expect(
      parseHeArgs({ poly_modulus_degree: n, coeff_mod_bit_sizes: ok, scale_bits: scale }).polyModulusDegree,
    ).toBe(n)
    const error = refusal({ poly_modulus_degree: n, coeff_mod_bit_sizes: tooMany, scale_bits: scale })
    expect(error.message).toContain(`${MAX_COEFF_BITS_128[n]} bits that give 128-bit security`)
  })

  it('refuses a scale the middle primes cannot carry, and a first prime not above the scale', () => {
    expect(refusal({ scale_bits: 50 }).message).toMatch(
      /scale_bits 50 cannot be carried by the middle primes \[40\]/,
    )
    expect(refusal({ coeff_mod_bit_sizes: [60, 30, 40] }).message).toMatch(/middle primes/)
    expect(refusal({ coeff_mod_bit_sizes: [40, 40, 40] }).message).toMatch(/first prime \(40 bits\)/)
  })

  it('refuses BFV, with and without a plain modulus', () => {
    expect(refusal({ scheme: 'BFV' }).message).toMatch(/BFV needs a plain_modulus/)
    expect(refusal({ scheme: 'BFV', plain_modulus: 786433 }).message).toMatch(/BFV is not supported/)
    expect(refusal({ plain_modulus: 786433 }).message).toMatch(/plain_modulus only applies to BFV/)
  })

  it('refuses bad shapes with the offending value', () => {
    expect(refusal({ poly_modulus_degree: 5000 }).message).toMatch(/one of 1024, .*32768, got 5000/)
    expect(refusal({ coeff_mod_bit_sizes: [60, 40] }).message).toMatch(/at least 3 primes/)
    expect(refusal({ coeff_mod_bit_sizes: [61, 40, 40] }).message).toMatch(/2\.\.60 bits .*, got 61/)
    expect(refusal({ coeff_mod_bit_sizes: [2, 1, 1], scale_bits: 1 }).message).toMatch(
      /2\.\.60 bits .*, got 1, 1/,
    )
    expect(refusal({ coeff_mod_bit_sizes: '60,40,40' }).message).toMatch(/list of integers/)
    expect(refusal({ scale_bits: 40.5 }).message).toMatch(/scale_bits must be an integer/)
    expect(refusal({ scheme: 'TFHE' }).message).toMatch(/unknown scheme "TFHE"/)
    expect(refusal({ poly_modulus: 8192 }).message).toMatch(/unknown argument poly_modulus/)
  })

  it('caps the primes at what NVFlare’s HE filters use, saying why', () => {
    const five = refusal({ poly_modulus_degree: 16384, coeff_mod_bit_sizes: [60, 40, 40, 40, 60] })
    expect(five.message).toMatch(/has 5 primes; at most 4 \(first, 2 middle, special\)/)
    expect(five.message).toMatch(/multiply an encrypted update at most twice per round/)
    const many = [60, ...Array<number>(30).fill(40), 60]
    expect(refusal({ poly_modulus_degree: 32768, coeff_mod_bit_sizes: many }).message).toMatch(
      /has 32 primes/,
    )
    expect(parseHeArgs({ coeff_mod_bit_sizes: [60, 40, 40, 60] }).coeffModBitSizes).toHaveLength(4)
  })

  it('refuses primes SEAL cannot find, with the size and the degree', () => {
    const small = refusal({ poly_modulus_degree: 8192, coeff_mod_bit_sizes: [20, 16, 16], scale_bits: 16 })
    expect(small.message).toMatch(/2 primes of 16 bits, but at poly_modulus_degree 8192 there is none/)
    expect(small.hint).toMatch(/17 bits or more/)
    const tiny = refusal({ poly_modulus_degree: 1024, coeff_mod_bit_sizes: [10, 8, 8], scale_bits: 8 })
    expect(tiny.message).toMatch(/poly_modulus_degree 1024 cannot hold 3 primes.*14 bits or more/)
    const same = refusal({ poly_modulus_degree: 32768, coeff_mod_bit_sizes: [20, 18, 18], scale_bits: 18 })
    expect(same.message).toMatch(/bits, but at poly_modulus_degree 32768/)
  })

  it('accepts exactly the parameter sets within the 128-bit table (property)', () => {
    const degrees = [4096, 8192, 16384, 32768]
    const arb = fc.record({
      n: fc.constantFrom(...degrees),
      first: fc.integer({ min: 21, max: 60 }),
      scale: fc.integer({ min: 20, max: 40 }),
      middle: fc.integer({ min: 1, max: 2 }),
      special: fc.integer({ min: 20, max: 60 }),
    })
    fc.assert(
      fc.property(arb, ({ n, first, scale, middle, special }) => {
        const sizes = [first, ...Array<number>(middle).fill(scale), special]
        const total = sizes.reduce((a, b) => a + b, 0)
        const args = { poly_modulus_degree: n, coeff_mod_bit_sizes: sizes, scale_bits: scale }
        const secure = total <= (MAX_COEFF_BITS_128[n] as number)
        expect(securityProblem(n, sizes) === undefined).toBe(secure)
        if (secure && first > scale && missingSealPrimes(n, sizes) === undefined)
          expect(parseHeArgs(args).coeffModBitSizes).toEqual(sizes)
        if (!secure) expect(() => parseHeArgs(args)).toThrow(/128-bit security/)
      }),
    )
  })
})

describe('describeHeParams / sameHeParams: one description, structural equality', () => {
  const ckks = {
    scheme: 'CKKS',
    polyModulusDegree: 8192,
    coeffModBitSizes: [60, 40, 40],
    scaleBits: 40,
  } as const
  it('writes parameters one way, with or without a scale', () => {
    expect(describeHeParams(ckks)).toBe('CKKS N=8192 [60, 40, 40] scale 2^40')
    expect(describeHeParams({ ...ckks, scaleBits: undefined })).toBe('CKKS N=8192 [60, 40, 40] scale none')
    expect(describeHeParams(contextParams({ ...ckks, scale: 1_000_000 }))).toBe(
      'CKKS N=8192 [60, 40, 40] scale 1000000',
    )
    expect(describeEncryptionParams(ckks)).toBe('CKKS N=8192 [60, 40, 40]')
  })

  it('compares field by field, not by their description', () => {
    expect(sameHeParams(ckks, { ...ckks, coeffModBitSizes: [60, 40, 40] })).toBe(true)
    expect(sameHeParams(ckks, { ...ckks, coeffModBitSizes: [60, 40] })).toBe(false)
    expect(sameHeParams(ckks, { ...ckks, scaleBits: undefined })).toBe(false)
    expect(sameHeParams(ckks, { ...ckks, scheme: 'BFV' })).toBe(false)
    expect(sameHeParams(contextParams({ ...ckks, scale: 2 ** 40 }), ckks)).toBe(true)
  })
})
