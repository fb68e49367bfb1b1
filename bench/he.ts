/**
 * HE benchmark: context generation, and encrypt / serialize / add / multiply-by-scalar / decrypt of
 * 1,000,000 floats with NVFlare's parameters (CKKS, N = 8192, [60, 40, 40], scale 2^40).
 * Run: npx tsx bench/he.ts [count]
 *
 * Every SEAL object is deleted after use; WASM memory (4 GB cap, never shrinks) peaks at a few vectors of
 * 245 ciphertexts (~64 MB each in memory).
 */
import { encryptToBytes } from '../src/he-builder/ckks-encrypt.js'
import { CkksVector } from '../src/he-builder/ckks-vector.js'
import { HeContext } from '../src/he-builder/he-context.js'
import { makeHeKeyFiles } from '../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../src/he-builder/params.js'
import { loadSeal } from '../src/he-builder/seal.js'

const count = Number(process.argv[2] ?? 1_000_000)
const rows: [string, number, string][] = []

async function time<T>(label: string, fn: () => T | Promise<T>, note = ''): Promise<T> {
  const start = performance.now()
  const result = await fn()
  rows.push([label, (performance.now() - start) / 1000, note])
  return result
}

function maxError(a: Float64Array, b: Float64Array): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
  return max
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

async function main(): Promise<void> {
  await time('load node-seal (WASM)', () => loadSeal())
  const files = await time('context generation (key + relin keys + 2 files)', () =>
    makeHeKeyFiles(DEFAULT_HE_PARAMS),
  )
  rows[rows.length - 1]![2] = `client ${files.client.length} B, server ${files.server.length} B`
  await time('context generation, reusing the kept key', () =>
    makeHeKeyFiles(DEFAULT_HE_PARAMS, { existingClient: files.client }),
  )
  const client = await HeContext.fromBytes(files.client)
  const server = await HeContext.fromBytes(files.server)
  const xs = Float64Array.from({ length: count }, (_, i) => Math.sin(i * 0.001))
  const ys = Float64Array.from({ length: count }, (_, i) => Math.cos(i * 0.001))

  const a = await time(`encrypt ${count} floats (symmetric)`, () => CkksVector.encrypt(client, xs))
  rows[rows.length - 1]![2] = `${a.ciphertexts.length} ciphertexts`
  const wireA = await time('serialize (zstd)', () => a.toBytes())
  rows[rows.length - 1]![2] = mb(wireA.length)
  a.delete()
  const seeded = await time('encrypt + serialize, seeded', () => encryptToBytes(client, ys, { seeded: true }))
  rows[rows.length - 1]![2] = mb(seeded.length)

  const sum = await time('load on the server (2 vectors)', () => {
    const first = CkksVector.fromBytes(server, wireA)
    const second = CkksVector.fromBytes(server, seeded)
    return { first, second }
  })
  await time('add', () => sum.first.add(sum.second))
  sum.second.delete()
  await time('multiply by scalar + rescale', () => sum.first.mulScalar(0.5))
  const result = await time('decrypt', () => sum.first.decrypt(client))
  const want = xs.map((x, i) => (x + (ys[i] as number)) / 2)
  rows[rows.length - 1]![2] = `max error ${maxError(result, want).toExponential(2)}`
  sum.first.delete()
  client.delete()
  server.delete()
}

await main()
const width = Math.max(...rows.map(([label]) => label.length))
console.log(`HE benchmark (node-seal 6.0.3, Node ${process.versions.node}, CKKS N=8192 [60,40,40] 2^40)`)
console.log(`${'operation'.padEnd(width)}  ${'seconds'.padStart(8)}  note`)
for (const [label, seconds, note] of rows) {
  console.log(`${label.padEnd(width)}  ${seconds.toFixed(3).padStart(8)}  ${note}`)
}
console.log(`rss ${mb(process.memoryUsage().rss)}`)
