/** Types of key-makers.mjs (plain ESM so that the key-generation worker runs from src/ and dist/ alike). */
/** How a key is made: by OpenSSL (`generateKeyPair`), or from two primes of our own search (rsa-keygen.mjs). */
export declare const KEY_METHODS: readonly ['openssl', 'prime-search']
/** One of KEY_METHODS (`ProvisionRequest.keySource`, `--key-source`). */
export type KeyMethod = (typeof KEY_METHODS)[number]
/** One RSA-2048 key (e = 65537, PEM PKCS#1) made by `method` on the calling thread. */
export declare function makeKeyPem(method: KeyMethod): string
