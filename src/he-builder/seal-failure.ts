import { ProvisionError } from '../errors.js'
import { describeHeParams } from './describe-params.js'
import { DEFAULT_HE_PARAMS, type HeParams, securityProblem } from './params.js'

/** What to try instead, in every message about parameters SEAL refuses. */
export const WORKING_PARAMS_HINT = `NVFlare’s default works: ${describeHeParams(DEFAULT_HE_PARAMS)} (he builder args poly_modulus_degree, coeff_mod_bit_sizes, scale_bits); each prime needs at least log2(2N) + 1 bits and at most 60`

/** SEAL's own words (node-seal throws Errors; a bare WebAssembly exception may be a number). */
export function sealReason(error: unknown): string {
  return error instanceof Error ? error.message : `SEAL failed (${String(error)})`
}

/** SEAL's terse messages, said so that the user sees which parameter is at fault. */
function explain(params: HeParams, reason: string): string {
  const insecure = securityProblem(params.polyModulusDegree, params.coeffModBitSizes)
  if (insecure) return insecure
  if (reason.includes('qualifying primes')) {
    const minBits = Math.log2(2 * params.polyModulusDegree) + 1
    return `there are not enough primes of those sizes that are 1 mod 2N (so at least ${minBits} bits each) (SEAL: ${reason})`
  }
  if (reason.includes('bit_sizes is invalid')) {
    return `every prime must have 2 to 60 bits (SEAL: ${reason})`
  }
  return reason
}

/**
 * SEAL refused to make keys for `params` (through a project file, or the library): a ProvisionError with
 * the parameters, SEAL's reason and parameters that work (exit 2). ProvisionErrors pass as they are.
 */
export function sealParamsFailure(params: HeParams, error: unknown): ProvisionError {
  if (error instanceof ProvisionError) return error
  const reason = explain(params, sealReason(error))
  return new ProvisionError(
    'he-params',
    `SEAL cannot make HE keys for ${describeHeParams(params)}: ${reason}`,
    {
      cause: error,
      hint: WORKING_PARAMS_HINT,
    },
  )
}

/** SEAL refused to load an HE context file (its parameters or keys): exit 2 with SEAL's reason. */
export function sealLoadFailure(error: unknown): ProvisionError {
  if (error instanceof ProvisionError) return error
  return new ProvisionError('he-context', `SEAL cannot load this HE context: ${sealReason(error)}`, {
    cause: error,
    hint: 'use a .tenseal context that fedforge or TenSEAL wrote (SEAL 4.1, CKKS), or make it again',
  })
}
