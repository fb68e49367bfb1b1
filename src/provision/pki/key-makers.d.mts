/** Types of key-makers.mjs (plain ESM so that the key-generation worker runs from src/ and dist/ alike). */
export type KeyMethod = 'openssl' | 'prime-search'
/** One RSA-2048 key (e = 65537, PEM PKCS#1) made by `method` on the calling thread. */
export declare function makeKeyPem(method: KeyMethod): string
