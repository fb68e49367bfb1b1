// npx tsx bench/keys.ts [--keys N]: RSA-2048 key generation — CPU ms per key for each key method on one thread
// (OpenSSL's generateKeyPair, and our prime search), then keys/s of the worker pool with each method on 1
// worker and on every core. The default method on this Node is marked. Figures only; nothing is asserted.
import { availableParallelism } from 'node:os'
import { makeKeyPem } from '../src/provision/pki/key-makers.mjs'
import { KeyPool } from '../src/provision/pki/key-pool.js'
import {
  DEFAULT_KEY_METHOD,
  KEY_METHODS,
  type KeyMethod,
  keyMethodName,
} from '../src/provision/pki/key-source.js'

const flag = process.argv.indexOf('--keys')
const poolKeys = flag > 0 ? Number(process.argv[flag + 1]) : 100
const SERIAL_KEYS = 40

/** CPU milliseconds per key on this thread (wall time would count whatever else the machine runs). */
function msPerKey(make: () => unknown, count: number): number {
  const start = process.cpuUsage()
  for (let i = 0; i < count; i++) make()
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1000 / count
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
const mark = (m: KeyMethod) => (m === DEFAULT_KEY_METHOD ? ' (default here)' : '')
console.log(
  `RSA-2048 key generation — ${cores} cores, Node ${process.version}, OpenSSL ${process.versions.openssl}`,
)
console.log('method, threads | ms per key (1 thread: CPU time; pool: wall time) | keys/s')
for (const method of KEY_METHODS) {
  const ms = msPerKey(() => makeKeyPem(method), SERIAL_KEYS)
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
