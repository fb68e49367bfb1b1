/** Types of rsa-keygen.mjs (plain ESM so that the key-generation worker runs from src/ and dist/ alike). */
export declare const RSA_BITS: 2048
export declare const PRIME_BITS: 1024
export declare const PUBLIC_EXPONENT: bigint
export interface RsaKeyNumbers {
  n: bigint
  e: bigint
  d: bigint
  p: bigint
  q: bigint
  dp: bigint
  dq: bigint
  qi: bigint
}
export declare function bitLength(x: bigint): number
export declare function gcd(a: bigint, b: bigint): bigint
export declare function modInverse(a: bigint, m: bigint): bigint
export declare function toBase64Url(x: bigint): string
export declare function assembleRsaKey(p: bigint, q: bigint): RsaKeyNumbers | undefined
export declare function rsaKeyToJwk(key: RsaKeyNumbers): Record<string, string>
export declare function generateRsaKeyPem(options?: { nextPrime?: () => bigint }): string
