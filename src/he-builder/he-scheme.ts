/**
 * The `scheme` (and `plain_modulus`) arguments of NVFlare's HEBuilder: only CKKS is of use, because NVFlare's
 * HE filters and aggregator only use CKKS vectors. Part of params.ts's checkHeArgs.
 */
export function schemeProblem(
  args: Readonly<Record<string, unknown>>,
): { key: string; message: string; hint?: string } | undefined {
  const raw = args['scheme'] ?? 'CKKS'
  if (typeof raw !== 'string')
    return { key: 'scheme', message: `scheme must be a string ("CKKS"), got ${JSON.stringify(raw)}` }
  const scheme = raw.toUpperCase()
  const plain = args['plain_modulus'] !== undefined
  if (scheme === 'CKKS' && plain) {
    return {
      key: 'plain_modulus',
      message: 'plain_modulus only applies to BFV; CKKS has no plain modulus',
      hint: 'remove plain_modulus',
    }
  }
  if (scheme === 'CKKS') return undefined
  if (scheme === 'BFV' && !plain) {
    return {
      key: 'scheme',
      message: 'scheme BFV needs a plain_modulus, and none is given',
      hint: 'NVFlare aggregates model weights with CKKS; use scheme: CKKS',
    }
  }
  if (scheme === 'BFV') {
    return {
      key: 'scheme',
      message:
        'scheme BFV is not supported: NVFlare’s HE filters and aggregator only use CKKS vectors, so a BFV context would never be used',
      hint: 'use scheme: CKKS',
    }
  }
  return { key: 'scheme', message: `unknown scheme ${JSON.stringify(raw)}; expected CKKS` }
}
