// The two ways to make one RSA-2048 key (e = 65537, PEM PKCS#1) on the calling thread: the key pool's
// workers (keygen-worker.mjs), `provision request` and the key benchmark all make keys through this one
// table. Plain ESM so that the worker runs unchanged from src/ (tests, tsx) and from dist/ (the built CLI).
import { generateKeyPairSync } from 'node:crypto'
import { generateRsaKeyPem } from './rsa-keygen.mjs'

/** @type {Record<import('./key-makers.d.mts').KeyMethod, () => string>} */
const MAKERS = {
  // OpenSSL's own generator
  openssl: () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 65537,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey,
  // two primes of our own search (prime-search.mjs, rsa-keygen.mjs)
  'prime-search': () => generateRsaKeyPem(),
}

/** The methods, in the order `--help` lists them: the one list of them (key-source.ts re-exports it). */
export const KEY_METHODS = Object.freeze(Object.keys(MAKERS))

/** One key made by `method`; an unknown method throws. */
export function makeKeyPem(method) {
  const make = Object.hasOwn(MAKERS, method) ? MAKERS[method] : undefined
  if (!make) throw new Error(`unknown key method ${JSON.stringify(method)}`)
  return make()
}
