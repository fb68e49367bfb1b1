import { ProvisionError } from '../errors.js'
import { schemeProblem } from './he-scheme.js'
import { missingSealPrimes, smallestSealPrimeBits } from './seal-primes.js'

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

/** SEAL takes primes of 2 to 60 bits (SEAL_USER_MOD_BIT_COUNT_MIN/MAX). */
const MIN_PRIME_BITS = 2
const MAX_PRIME_BITS = 60

/**
 * The most middle primes a context may have. NVFlare's HE filters multiply an encrypted update at most twice
 * in a round (by the client's weight when the aggregator weighs by local iterations, then by 1/Σweights in
 * `aggregate()`); each multiplication uses up one middle prime, and clients decrypt the result. More primes
 * are never used but make every key and ciphertext bigger: N=32768 with 32 primes took 47 s and 3.9 GB.
 */
export const MAX_MIDDLE_PRIMES = 2

/** The builder arguments as NVFlare's HEBuilder names them. */
const KNOWN_ARGS = ['poly_modulus_degree', 'coeff_mod_bit_sizes', 'scale_bits', 'scheme', 'plain_modulus']

/** What is wrong with HE builder arguments, and which argument it is about. */
export interface HeArgsProblem {
  /** The argument at fault (`coeff_mod_bit_sizes`); the problem may come from its default. */
  key: string
  message: string
  hint?: string
}

export type HeArgsCheck = { ok: true; params: HeParams } | { ok: false; problem: HeArgsProblem }

type Step<T> = { value: T } | { problem: HeArgsProblem }

const bad = (key: string, message: string, hint?: string): { problem: HeArgsProblem } => ({
  problem: hint === undefined ? { key, message } : { key, message, hint },
})

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

let usable: number[] | undefined

/** The degrees at which some accepted parameter set exists (N=1024 cannot hold 3 primes securely). */
export function usableDegrees(): number[] {
  usable ??= Object.entries(MAX_COEFF_BITS_128)
    .filter(([n, max]) => 3 * (smallestSealPrimeBits(Number(n), MAX_PRIME_BITS) ?? max) + 1 <= max)
    .map(([n]) => Number(n))
  return [...usable]
}

function parseDegree(raw: unknown): Step<number> {
  const key = 'poly_modulus_degree'
  const degree = raw ?? DEFAULT_HE_PARAMS.polyModulusDegree
  const known = Object.keys(MAX_COEFF_BITS_128).join(', ')
  if (!isInt(degree) || MAX_COEFF_BITS_128[degree] === undefined) {
    return bad(key, `poly_modulus_degree must be one of ${known}, got ${JSON.stringify(degree)}`)
  }
  if (!usableDegrees().includes(degree)) {
    const smallest = smallestSealPrimeBits(degree, MAX_PRIME_BITS)
    return bad(
      key,
      `poly_modulus_degree ${degree} cannot hold 3 primes at 128-bit security: SEAL's primes for it have ${smallest} bits or more, and the total may be ${MAX_COEFF_BITS_128[degree]} bits`,
      `use ${usableDegrees().join(', ')} (NVFlare's default is ${DEFAULT_HE_PARAMS.polyModulusDegree})`,
    )
  }
  return { value: degree }
}

function parseBitSizes(raw: unknown): Step<number[]> {
  const key = 'coeff_mod_bit_sizes'
  const sizes = raw ?? DEFAULT_HE_PARAMS.coeffModBitSizes
  if (!Array.isArray(sizes) || !sizes.every(isInt)) {
    return bad(
      key,
      `coeff_mod_bit_sizes must be a list of integers, got ${JSON.stringify(sizes).slice(0, 200)}`,
    )
  }
  const wrong = sizes.filter((bits) => bits < MIN_PRIME_BITS || bits > MAX_PRIME_BITS)
  if (wrong.length > 0) {
    return bad(
      key,
      `coeff_mod_bit_sizes entries must be ${MIN_PRIME_BITS}..${MAX_PRIME_BITS} bits (the prime sizes SEAL makes), got ${wrong.slice(0, 8).join(', ')}`,
    )
  }
  if (sizes.length < 3) {
    return bad(
      key,
      `coeff_mod_bit_sizes needs at least 3 primes (first, middle, special), got ${sizes.length}`,
      'the server multiplies the sum by 1/Σw, which uses one middle prime; NVFlare’s default is [60, 40, 40]',
    )
  }
  if (sizes.length > MAX_MIDDLE_PRIMES + 2) {
    return bad(
      key,
      `coeff_mod_bit_sizes has ${sizes.length} primes; at most ${MAX_MIDDLE_PRIMES + 2} (first, ${MAX_MIDDLE_PRIMES} middle, special) are accepted: NVFlare’s HE filters multiply an encrypted update at most twice per round and each multiplication uses one middle prime, so more primes are never used and only make keys bigger and provisioning slower (32 primes at N=32768 took 47 s and 3.9 GB)`,
      'use NVFlare’s [60, 40, 40], or [60, 40, 40, 40] when the aggregator weighs by local iterations',
    )
  }
  return { value: [...sizes] }
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

function parseScale(raw: unknown, sizes: readonly number[]): Step<number> {
  const scaleBits = raw ?? DEFAULT_HE_PARAMS.scaleBits
  if (!isInt(scaleBits) || scaleBits < 1 || scaleBits > MAX_PRIME_BITS) {
    return bad(
      'scale_bits',
      `scale_bits must be an integer 1..${MAX_PRIME_BITS}, got ${JSON.stringify(scaleBits)}`,
    )
  }
  const first = sizes[0] ?? 0
  const middle = sizes.slice(1, -1)
  if (middle.some((bits) => bits !== scaleBits)) {
    return bad(
      raw === undefined ? 'coeff_mod_bit_sizes' : 'scale_bits',
      `scale_bits ${scaleBits} cannot be carried by the middle primes [${middle.join(', ')}]: after a multiplication the ciphertext is rescaled by a middle prime, which must be about 2^scale_bits`,
      `make every middle entry of coeff_mod_bit_sizes equal to scale_bits (e.g. [60, ${scaleBits}, ${scaleBits}])`,
    )
  }
  if (first <= scaleBits) {
    return bad(
      'coeff_mod_bit_sizes',
      `the first prime (${first} bits) must be larger than the scale (${scaleBits} bits) to hold the integer part of the values`,
      'NVFlare uses a 60-bit first prime with scale_bits 40',
    )
  }
  return { value: scaleBits }
}

/** SEAL makes the primes with a search that fails when too few of a size exist at this degree. */
function primesProblem(degree: number, sizes: readonly number[]): { problem: HeArgsProblem } | undefined {
  const missing = missingSealPrimes(degree, sizes)
  if (!missing) return undefined
  const smallest = smallestSealPrimeBits(degree, MAX_PRIME_BITS)
  const { bits, wanted, found } = missing
  const some = found === 0 ? 'there is none' : `there ${found === 1 ? 'is' : 'are'} only ${found}`
  return bad(
    'coeff_mod_bit_sizes',
    `coeff_mod_bit_sizes asks for ${wanted} prime${wanted === 1 ? '' : 's'} of ${bits} bits, but at poly_modulus_degree ${degree} ${some}: SEAL needs distinct primes p ≡ 1 (mod ${2 * degree}) of exactly that size`,
    smallest === undefined
      ? undefined
      : `at poly_modulus_degree ${degree} such primes have ${smallest} bits or more; use larger sizes, or fewer of one size`,
  )
}

/**
 * Validates NVFlare HEBuilder arguments (`poly_modulus_degree`, `coeff_mod_bit_sizes`, `scale_bits`,
 * `scheme`) and applies NVFlare's defaults: the shapes, the 128-bit security table, the scale, the cap on
 * primes, and whether SEAL can make the primes. A set that passes is one SEAL accepts.
 */
export function checkHeArgs(args: Readonly<Record<string, unknown>>): HeArgsCheck {
  const unknown = Object.keys(args).filter((key) => !KNOWN_ARGS.includes(key))
  if (unknown.length > 0) {
    const known = KNOWN_ARGS.slice(0, 4).join(', ')
    return { ok: false, ...bad(unknown[0]!, `unknown argument ${unknown.join(', ')}; known: ${known}`) }
  }
  const schemeIssue = schemeProblem(args)
  if (schemeIssue) return { ok: false, problem: schemeIssue }
  const degree = parseDegree(args.poly_modulus_degree)
  if ('problem' in degree) return { ok: false, problem: degree.problem }
  const sizes = parseBitSizes(args.coeff_mod_bit_sizes)
  if ('problem' in sizes) return { ok: false, problem: sizes.problem }
  const insecure = securityProblem(degree.value, sizes.value)
  if (insecure) {
    const hint = 'use fewer or smaller primes, or a larger poly_modulus_degree'
    return { ok: false, ...bad('coeff_mod_bit_sizes', insecure, hint) }
  }
  const scale = parseScale(args.scale_bits, sizes.value)
  if ('problem' in scale) return { ok: false, problem: scale.problem }
  const primes = primesProblem(degree.value, sizes.value)
  if (primes) return { ok: false, problem: primes.problem }
  const params: HeParams = {
    scheme: 'CKKS',
    polyModulusDegree: degree.value,
    coeffModBitSizes: sizes.value,
    scaleBits: scale.value,
  }
  return { ok: true, params }
}

/** checkHeArgs, throwing a ProvisionError (exit 2) with the problem; used by the HE builder and the wizard. */
export function parseHeArgs(args: Readonly<Record<string, unknown>>): HeParams {
  const checked = checkHeArgs(args)
  if (checked.ok) return checked.params
  const { message, hint } = checked.problem
  throw new ProvisionError('he-params', `he builder: ${message}`, hint === undefined ? {} : { hint })
}
