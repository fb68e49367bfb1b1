/**
 * The one description of HE parameters, and their comparison: for validated parameters (HeParams) and for
 * what a context file states (HeParamsInfo). A pure module, as params.ts.
 */

/**
 * HE parameters as a context file states them: any scheme, and a scale that may be absent (or not a power
 * of two). HeParams, the validated CKKS case, is one of these.
 */
export interface HeParamsInfo {
  scheme: 'CKKS' | 'BFV' | 'BGV' | 'none'
  polyModulusDegree: number
  coeffModBitSizes: readonly number[]
  /** log2 of the default scale; undefined when there is none. */
  scaleBits: number | undefined
}

/** log2 of a context's default scale (undefined for none: 0 or below, as TenSEAL writes -1). */
export function scaleBitsOf(scale: number | undefined): number | undefined {
  return scale !== undefined && scale > 0 ? Math.log2(scale) : undefined
}

/** The parameters a context file states (`inspectTenseal`'s context info: its raw scale). */
export function contextParams(
  info: Omit<HeParamsInfo, 'scaleBits'> & { scale: number | undefined },
): HeParamsInfo {
  const { scheme, polyModulusDegree, coeffModBitSizes } = info
  return { scheme, polyModulusDegree, coeffModBitSizes, scaleBits: scaleBitsOf(info.scale) }
}

/** True when two parameter sets describe the same HE setup (compared field by field). */
export function sameHeParams(a: HeParamsInfo, b: HeParamsInfo): boolean {
  return (
    a.scheme === b.scheme &&
    a.polyModulusDegree === b.polyModulusDegree &&
    a.scaleBits === b.scaleBits &&
    a.coeffModBitSizes.length === b.coeffModBitSizes.length &&
    a.coeffModBitSizes.every((bits, i) => bits === b.coeffModBitSizes[i])
  )
}

/** `2^40`; `none`; a scale that is not a power of two as its value. */
export function describeScale(scaleBits: number | undefined): string {
  if (scaleBits === undefined) return 'none'
  if (Number.isInteger(scaleBits)) return `2^${scaleBits}`
  return String(Number((2 ** scaleBits).toPrecision(12)))
}

/** The encryption parameters alone (SEAL's blob has no scale): `CKKS N=8192 [60, 40, 40]`. */
export function describeEncryptionParams(p: Omit<HeParamsInfo, 'scaleBits'>): string {
  return `${p.scheme} N=${p.polyModulusDegree} [${p.coeffModBitSizes.join(', ')}]`
}

/**
 * The one way HE parameters are written for people, `CKKS N=8192 [60, 40, 40] scale 2^40`: in inspect, the
 * provision summary, the wizard, verify and the recipe.
 */
export function describeHeParams(p: HeParamsInfo): string {
  return `${describeEncryptionParams(p)} scale ${describeScale(p.scaleBits)}`
}
