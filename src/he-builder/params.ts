import { ProvisionError } from '../errors.js'

/**
 * HE parameters, validated. A pure module: it never loads node-seal, so the project loader and the wizard
 * can check HE arguments cheaply.
 */
export interface HeParams {
  scheme: 'CKKS'
  polyModulusDegree: number
  /** Bit sizes of the coefficient-modulus primes: [first, ...middle, special]. */
  coeffModBitSizes: number[]
  /** The CKKS scale is 2^scaleBits. */
  scaleBits: number
}

/** NVFlare's HEBuilder defaults. */
export const DEFAULT_HE_PARAMS: Readonly<HeParams> = Object.freeze({
  scheme: 'CKKS',
  polyModulusDegree: 8192,
  coeffModBitSizes: [60, 40, 40],
  scaleBits: 40,
})

/**
 * Largest total coefficient-modulus bit count for 128-bit classical security with a ternary secret, by
 * polynomial modulus degree (HomomorphicEncryption.org standard; the table SEAL enforces for tc128).
 */
export const MAX_COEFF_BITS_128: Readonly<Record<number, number>> = Object.freeze({
  1024: 27,
  2048: 54,
  4096: 109,
  8192: 218,
  16384: 438,
  32768: 881,
})

/** SEAL takes primes of at most 60 bits. */
const MAX_PRIME_BITS = 60

/** The builder arguments as NVFlare's HEBuilder names them. */
const KNOWN_ARGS = ['poly_modulus_degree', 'coeff_mod_bit_sizes', 'scale_bits', 'scheme', 'plain_modulus']

function fail(message: string, hint?: string): never {
  throw new ProvisionError('he-params', message, hint === undefined ? {} : { hint })
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

function parseScheme(args: Readonly<Record<string, unknown>>): 'CKKS' {
  const raw = args.scheme ?? 'CKKS'
  if (typeof raw !== 'string')
    fail(`he builder: scheme must be a string ("CKKS"), got ${JSON.stringify(raw)}`)
  const scheme = raw.toUpperCase()
  if (scheme === 'CKKS' && args.plain_modulus !== undefined) {
    fail('he builder: plain_modulus only applies to BFV; CKKS has no plain modulus', 'remove plain_modulus')
  }
  if (scheme === 'CKKS') return 'CKKS'
  if (scheme === 'BFV' && args.plain_modulus === undefined) {
    fail(
      'he builder: scheme BFV needs a plain_modulus, and none is given',
      'NVFlare aggregates model weights with CKKS; use scheme: CKKS',
    )
  }
  if (scheme === 'BFV') {
    fail(
      'he builder: scheme BFV is not supported: NVFlare’s HE filters and aggregator only use CKKS vectors, so a BFV context would never be used',
      'use scheme: CKKS',
    )
  }
  return fail(`he builder: unknown scheme ${JSON.stringify(raw)}; expected CKKS`)
}

function parseDegree(raw: unknown): number {
  const degree = raw ?? DEFAULT_HE_PARAMS.polyModulusDegree
  const known = Object.keys(MAX_COEFF_BITS_128).join(', ')
  if (!isInt(degree) || MAX_COEFF_BITS_128[degree] === undefined) {
    fail(`he builder: poly_modulus_degree must be one of ${known}, got ${JSON.stringify(degree)}`)
  }
  return degree
}

function parseBitSizes(raw: unknown): number[] {
  const sizes = raw ?? DEFAULT_HE_PARAMS.coeffModBitSizes
  if (!Array.isArray(sizes) || !sizes.every(isInt)) {
    fail(`he builder: coeff_mod_bit_sizes must be a list of integers, got ${JSON.stringify(sizes)}`)
  }
  const bad = sizes.filter((bits) => bits < 1 || bits > MAX_PRIME_BITS)
  if (bad.length > 0)
    fail(`he builder: coeff_mod_bit_sizes entries must be 1..${MAX_PRIME_BITS} bits, got ${bad.join(', ')}`)
  if (sizes.length < 3) {
    fail(
      `he builder: coeff_mod_bit_sizes needs at least 3 primes (first, middle, special), got ${sizes.length}`,
      'the server multiplies the sum by 1/Σw, which uses one middle prime; NVFlare’s default is [60, 40, 40]',
    )
  }
  return [...sizes]
}

/** The 128-bit security check alone (also used on files read back from state/ or given to inspect). */
export function securityProblem(
  polyModulusDegree: number,
  coeffModBitSizes: readonly number[],
): string | undefined {
  const max = MAX_COEFF_BITS_128[polyModulusDegree]
  const total = coeffModBitSizes.reduce((sum, bits) => sum + bits, 0)
  if (max === undefined)
    return `poly_modulus_degree ${polyModulusDegree} is not in the 128-bit security table`
  if (total > max) {
    return `coeff_mod_bit_sizes total ${total} bits, more than the ${max} bits that give 128-bit security at poly_modulus_degree ${polyModulusDegree}`
  }
  return undefined
}

function checkScale(sizes: readonly number[], scaleBits: number): void {
  const first = sizes[0] ?? 0
  const middle = sizes.slice(1, -1)
  const off = middle.filter((bits) => bits !== scaleBits)
  if (off.length > 0) {
    fail(
      `he builder: scale_bits ${scaleBits} cannot be carried by the middle primes [${middle.join(', ')}]: after a multiplication the ciphertext is rescaled by a middle prime, which must be about 2^scale_bits`,
      `make every middle entry of coeff_mod_bit_sizes equal to scale_bits (e.g. [60, ${scaleBits}, ${scaleBits}])`,
    )
  }
  if (first <= scaleBits) {
    fail(
      `he builder: the first prime (${first} bits) must be larger than the scale (${scaleBits} bits) to hold the integer part of the values`,
      'NVFlare uses a 60-bit first prime with scale_bits 40',
    )
  }
}

/**
 * Validates NVFlare HEBuilder arguments (`poly_modulus_degree`, `coeff_mod_bit_sizes`, `scale_bits`,
 * `scheme`) and applies NVFlare's defaults. Throws ProvisionError with a clear message.
 */
export function parseHeArgs(args: Readonly<Record<string, unknown>>): HeParams {
  const unknown = Object.keys(args).filter((key) => !KNOWN_ARGS.includes(key))
  if (unknown.length > 0) {
    fail(`he builder: unknown argument ${unknown.join(', ')}; known: ${KNOWN_ARGS.slice(0, 4).join(', ')}`)
  }
  const scheme = parseScheme(args)
  const polyModulusDegree = parseDegree(args.poly_modulus_degree)
  const coeffModBitSizes = parseBitSizes(args.coeff_mod_bit_sizes)
  const insecure = securityProblem(polyModulusDegree, coeffModBitSizes)
  if (insecure) {
    fail(`he builder: ${insecure}`, 'use fewer or smaller primes, or a larger poly_modulus_degree')
  }
  const scaleBits = args.scale_bits ?? DEFAULT_HE_PARAMS.scaleBits
  if (!isInt(scaleBits) || scaleBits < 1 || scaleBits > MAX_PRIME_BITS) {
    fail(`he builder: scale_bits must be an integer 1..${MAX_PRIME_BITS}, got ${JSON.stringify(scaleBits)}`)
  }
  checkScale(coeffModBitSizes, scaleBits)
  return { scheme, polyModulusDegree, coeffModBitSizes, scaleBits }
}

/** True when two parameter sets describe the same HE setup. */
export function sameHeParams(a: HeParams, b: HeParams): boolean {
  return (
    a.scheme === b.scheme &&
    a.polyModulusDegree === b.polyModulusDegree &&
    a.scaleBits === b.scaleBits &&
    a.coeffModBitSizes.length === b.coeffModBitSizes.length &&
    a.coeffModBitSizes.every((bits, i) => bits === b.coeffModBitSizes[i])
  )
}

/** `CKKS N=8192 [60, 40, 40] scale 2^40` */
export function describeHeParams(p: HeParams): string {
  return `${p.scheme} N=${p.polyModulusDegree} [${p.coeffModBitSizes.join(', ')}] scale 2^${p.scaleBits}`
}
