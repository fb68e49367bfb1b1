/** Types of prime-search.mjs (plain ESM so that the key-generation worker runs from src/ and dist/ alike). */
export declare const MR_ROUNDS: number
export declare function toBase64Url(x: bigint): string
export declare function smallPrimes(): IterableIterator<number>
export declare function sieveWindow(bytes: Uint8Array): Uint8Array
export declare function passesFermatBase2(n: Buffer): boolean
export declare function isProbablePrime(
  n: bigint,
  rounds: number,
  randomBytes: (size: number) => Uint8Array,
): boolean
export declare function randomProbablePrime(
  bits: number,
  options?: { randomBytes?: (size: number) => Uint8Array },
): bigint
