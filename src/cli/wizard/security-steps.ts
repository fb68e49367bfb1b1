import {
  DEFAULT_HE_PARAMS,
  type HeParams,
  MAX_COEFF_BITS_128,
  usableDegrees,
} from '../../he-builder/params.js'
import type { ConnectionSecurity } from '../../provision/project/types.js'
import type { Prompter } from '../prompts.js'
import { ask, choose } from './ask.js'
import { andThen, parseBitSizes, parseBits, parseHe } from './parse.js'
import { DEFAULTS, type InitPreset } from './settings.js'

/** How connections to the server are secured. */
export function askSecurity(p: Prompter, pre: InitPreset): Promise<ConnectionSecurity> {
  return choose<ConnectionSecurity>(p, {
    message: 'Connection security',
    choices: [
      { value: 'mtls', name: 'mtls: server and sites both show certificates (recommended)' },
      { value: 'tls', name: 'tls: only the server shows a certificate' },
      { value: 'clear', name: 'clear: no encryption (tests on one machine only)' },
    ],
    default: DEFAULTS.connectionSecurity,
    preset: pre.connectionSecurity,
    flag: '--connection-security',
  })
}

/** HE on or off, and its parameters (NVFlare's defaults shown), checked by the HE builder's own rules. */
export async function askHe(p: Prompter, pre: InitPreset): Promise<HeParams | undefined> {
  const on =
    pre.he ??
    (await p.confirm({
      message:
        'Encrypt model updates with homomorphic encryption (CKKS), so the server aggregates what it cannot read?',
      default: true,
    }))
  if (!on) return undefined
  const degree = await choose(p, {
    message: 'Polynomial modulus degree (larger: more room for computation, slower)',
    choices: usableDegrees().map((n) => ({
      value: String(n),
      name: `${n}: up to ${MAX_COEFF_BITS_128[n]} bits of coefficient modulus at 128-bit security`,
    })),
    default: String(DEFAULT_HE_PARAMS.polyModulusDegree),
    preset: pre.polyModulusDegree,
    flag: '--poly-modulus-degree',
  })
  return askModulus(p, pre, Number(degree))
}

async function askModulus(p: Prompter, pre: InitPreset, degree: number): Promise<HeParams> {
  const sizes = await ask(p, {
    message: 'Coefficient modulus bit sizes [first, middle..., special]',
    default: DEFAULT_HE_PARAMS.coeffModBitSizes.join(', '),
    // the scale is asked next: check the sizes with the scale their middle primes carry
    parse: (v) =>
      andThen(parseBitSizes(v), (s) =>
        parseHe({ poly_modulus_degree: degree, coeff_mod_bit_sizes: s, scale_bits: s[1] }),
      ),
    preset: pre.coeffModBitSizes,
    flag: '--coeff-mod-bit-sizes',
  }).then((he) => he.coeffModBitSizes)
  return ask(p, {
    message: 'Scale bits (the CKKS scale is 2^bits; the middle primes must have this size)',
    default: String(sizes[1] ?? DEFAULT_HE_PARAMS.scaleBits),
    parse: (v) =>
      andThen(parseBits(v), (bits) =>
        parseHe({ poly_modulus_degree: degree, coeff_mod_bit_sizes: sizes, scale_bits: bits }),
      ),
    preset: pre.scaleBits,
    flag: '--scale-bits',
  })
}
