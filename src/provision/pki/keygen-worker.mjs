// Worker entry of the key pool: each message is a request id; the reply is { id, pem } or { id, error }.
import { parentPort } from 'node:worker_threads'
import { generateRsaKeyPem } from './rsa-keygen.mjs'

parentPort?.on('message', (id) => {
  try {
    parentPort?.postMessage({ id, pem: generateRsaKeyPem() })
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
