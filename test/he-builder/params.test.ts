import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import {
  DEFAULT_HE_PARAMS,
  MAX_COEFF_BITS_128,
  parseHeArgs,
  securityProblem,
} from '../../src/he-builder/params.js'

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

  const forty = (count: number) => Array<number>(count).fill(40)
  it.each([
    [4096, 30, [49, 30, 30], [50, 30, 30]],
    [8192, 40, [60, ...forty(3), 38], [60, ...forty(3), 39]],
    [16384, 40, [60, ...forty(8), 58], [60, ...forty(8), 59]],
    [32768, 40, [60, ...forty(20), 21], [60, ...forty(20), 22]],
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
    expect(refusal({ coeff_mod_bit_sizes: [61, 40, 40] }).message).toMatch(/1\.\.60 bits, got 61/)
    expect(refusal({ coeff_mod_bit_sizes: '60,40,40' }).message).toMatch(/list of integers/)
    expect(refusal({ scale_bits: 40.5 }).message).toMatch(/scale_bits must be an integer/)
    expect(refusal({ scheme: 'TFHE' }).message).toMatch(/unknown scheme "TFHE"/)
    expect(refusal({ poly_modulus: 8192 }).message).toMatch(/unknown argument poly_modulus/)
  })

  it('accepts exactly the parameter sets within the 128-bit table (property)', () => {
    const degrees = [4096, 8192, 16384, 32768]
    const arb = fc.record({
      n: fc.constantFrom(...degrees),
      first: fc.integer({ min: 21, max: 60 }),
      scale: fc.integer({ min: 20, max: 40 }),
      middle: fc.integer({ min: 1, max: 20 }),
      special: fc.integer({ min: 20, max: 60 }),
    })
    fc.assert(
      fc.property(arb, ({ n, first, scale, middle, special }) => {
        const sizes = [first, ...Array<number>(middle).fill(scale), special]
        const total = sizes.reduce((a, b) => a + b, 0)
        const args = { poly_modulus_degree: n, coeff_mod_bit_sizes: sizes, scale_bits: scale }
        const secure = total <= (MAX_COEFF_BITS_128[n] as number)
        expect(securityProblem(n, sizes) === undefined).toBe(secure)
        if (secure && first > scale) expect(parseHeArgs(args).coeffModBitSizes).toEqual(sizes)
        if (!secure) expect(() => parseHeArgs(args)).toThrow(/128-bit security/)
      }),
    )
  })
})
