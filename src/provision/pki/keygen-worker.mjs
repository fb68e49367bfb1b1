// Worker entry of the key pool (key-pool.ts). Each message is { id, method }; the reply is { id, pem } or
// { id, error }, the key being RSA-2048, e = 65537, PEM PKCS#1. Plain ESM so that it runs unchanged from src/
// (tests, tsx) and from dist/ (the built CLI). Keys are made here, off the main thread, one at a time.
import { generateKeyPairSync } from 'node:crypto'
import { parentPort } from 'node:worker_threads'

/** @type {Record<string, () => Promise<string>>} */
const MAKERS = {
  // OpenSSL's own generator (fast from OpenSSL 3.5 on; see key-source.ts for the default)
  openssl: async () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 65537,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey,
  // our prime search, loaded only by a pool that uses it
  'prime-search': async () => (await import('./rsa-keygen.mjs')).generateRsaKeyPem(),
}

parentPort?.on('message', async ({ id, method }) => {
  try {
    const make = Object.hasOwn(MAKERS, method) ? MAKERS[method] : undefined
    if (!make) throw new Error(`unknown key method ${JSON.stringify(method)}`)
    parentPort?.postMessage({ id, pem: await make() })
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
