// npx tsx bench/keys.ts [--keys N]: RSA-2048 key generation — ms per key for each key method on one thread
// (OpenSSL's generateKeyPair, and our prime search), then keys/s of the worker pool with each method on 1
// worker and on every core. The default method on this Node is marked. Figures only; nothing is asserted.
import { generateKeyPairSync } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { KeyPool } from '../src/provision/pki/key-pool.js'
import {
  defaultKeyMethod,
  KEY_METHODS,
  type KeyMethod,
  keyMethodName,
} from '../src/provision/pki/key-source.js'
import { generateRsaKeyPem } from '../src/provision/pki/rsa-keygen.mjs'

const flag = process.argv.indexOf('--keys')
const poolKeys = flag > 0 ? Number(process.argv[flag + 1]) : 100
const SERIAL_KEYS = 10

const ONE_THREAD: Record<KeyMethod, () => unknown> = {
  openssl: () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 65537,
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' }, // the worker leaves this out; the types want it
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }),
  'prime-search': () => generateRsaKeyPem(),
}

function msPerKey(make: () => unknown, count: number): number {
  const start = performance.now()
  for (let i = 0; i < count; i++) make()
  return (performance.now() - start) / count
}

async function poolRate(method: KeyMethod, size: number, count: number): Promise<number> {
  const pool = new KeyPool({ method, size, maxSize: size })
  await pool.take() // workers started and warm
  const start = performance.now()
  pool.prefetch(count)
  for (let i = 0; i < count; i++) await pool.take()
  const seconds = (performance.now() - start) / 1000
  await pool.close()
  return count / seconds
}

const cores = availableParallelism()
const mark = (m: KeyMethod) => (m === defaultKeyMethod() ? ' (default here)' : '')
console.log(
  `RSA-2048 key generation — ${cores} cores, Node ${process.version}, OpenSSL ${process.versions.openssl}`,
)
console.log('method, threads                          | ms/key | keys/s')
for (const method of KEY_METHODS) {
  const ms = msPerKey(ONE_THREAD[method], SERIAL_KEYS)
  console.log(
    `${keyMethodName(method)}${mark(method)}, 1 thread | ${ms.toFixed(1)} | ${(1000 / ms).toFixed(1)}`,
  )
}
for (const method of KEY_METHODS) {
  for (const size of [...new Set([1, cores])]) {
    const rate = await poolRate(method, size, poolKeys)
    console.log(
      `KeyPool ${keyMethodName(method)}, ${size} worker(s), ${poolKeys} keys | ${(1000 / rate).toFixed(1)} | ${rate.toFixed(1)}`,
    )
  }
}
