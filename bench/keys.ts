// npx tsx bench/keys.ts [--keys N]: RSA-2048 key generation — ms per key for Node's generateKeyPair and
// for our prime-assembly generator (one thread), then keys/s of the worker pool on every core.
import { generateKeyPairSync } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { KeyPool } from '../src/provision/pki/key-pool.js'
import { generateRsaKeyPem } from '../src/provision/pki/rsa-keygen.mjs'

const flag = process.argv.indexOf('--keys')
const poolKeys = flag > 0 ? Number(process.argv[flag + 1]) : 100
const SERIAL_KEYS = 10

function msPerKey(make: () => unknown, count: number): number {
  const start = performance.now()
  for (let i = 0; i < count; i++) make()
  return (performance.now() - start) / count
}

async function poolRate(size: number, count: number): Promise<number> {
  const pool = new KeyPool({ size })
  await pool.take() // workers started and warm
  const start = performance.now()
  pool.prefetch(count)
  for (let i = 0; i < count; i++) await pool.take()
  const seconds = (performance.now() - start) / 1000
  await pool.close()
  return count / seconds
}

const node = msPerKey(() => generateKeyPairSync('rsa', { modulusLength: 2048 }), SERIAL_KEYS)
const ours = msPerKey(() => generateRsaKeyPem(), SERIAL_KEYS)
const cores = availableParallelism()
console.log(`RSA-2048 key generation — ${cores} cores, Node ${process.version}`)
console.log('method                                   | ms/key | keys/s')
console.log(`generateKeyPair (Node/OpenSSL), 1 thread | ${node.toFixed(1)} | ${(1000 / node).toFixed(1)}`)
console.log(`prime assembly (ours), 1 thread          | ${ours.toFixed(1)} | ${(1000 / ours).toFixed(1)}`)
for (const size of [...new Set([1, cores])]) {
  const rate = await poolRate(size, poolKeys)
  console.log(
    `KeyPool, ${size} worker(s), ${poolKeys} keys          | ${(1000 / rate).toFixed(1)} | ${rate.toFixed(1)}`,
  )
}
