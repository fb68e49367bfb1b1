// Worker entry of the key pool (key-pool.ts). Each message is { id, method }; the reply is { id, pem } or
// { id, error }, the key being RSA-2048, e = 65537, PEM PKCS#1 (key-makers.mjs). Plain ESM so that it runs
// unchanged from src/ (tests, tsx) and from dist/ (the built CLI). Keys are made here, off the main thread,
// one at a time.
import { parentPort } from 'node:worker_threads'
import { makeKeyPem } from './key-makers.mjs'

parentPort?.on('message', ({ id, method }) => {
  try {
    parentPort?.postMessage({ id, pem: makeKeyPem(method) })
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
