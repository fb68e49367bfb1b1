/**
 * Writes the HE files of test/fixtures/hostile/: client contexts (made here by fedforge) with one SEAL
 * blob replaced by a compression bomb. Run once: `npx tsx scripts/gen-hostile-fixtures.ts`. The
 * compressed-block bomb comes from the real `zstd` command (Node 20 has no zstd).
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeHeKeyFiles } from '../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../src/he-builder/params.js'
import { loadSeal } from '../src/he-builder/seal.js'
import { decodeTensealContext, encodeTensealContext } from '../src/he-builder/tenseal-codec.js'
import { sealBlob, zlibBomb, zstdRleBomb } from '../test/he-builder/seal-bombs.js'

const OUT = fileURLToPath(new URL('../test/fixtures/hostile/', import.meta.url))
const GiB = 2 ** 30

/** `yes abcdefgh | head -c 2 GiB | zstd -1`: about 190 KB of full 128 KiB compressed blocks. */
function zstdCompressedBomb(): Uint8Array {
  const r = spawnSync('sh', ['-c', `yes abcdefgh | head -c ${2 * GiB} | zstd -1 -c -q`], {
    maxBuffer: 16 * 2 ** 20,
  })
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`)
  return new Uint8Array(r.stdout)
}

/** Parameters SEAL refuses for 128-bit security (180 bits at N=4096, where 109 is the most). */
async function insecureParams(): Promise<Uint8Array> {
  const seal = await loadSeal()
  const parms = seal.EncryptionParameters(seal.SchemeType.ckks)
  const moduli = seal.CoeffModulus.Create(4096, Int32Array.from([60, 60, 60]))
  parms.setPolyModulusDegree(4096)
  parms.setCoeffModulus(moduli)
  const blob = parms.saveArray(seal.ComprModeType.zstd)
  moduli.delete()
  parms.delete()
  return blob
}

const client = decodeTensealContext((await makeHeKeyFiles({ ...DEFAULT_HE_PARAMS })).client)
const compressed = zstdCompressedBomb()
const variants: [string, Partial<{ params: Uint8Array; secretKey: Uint8Array }>][] = [
  ['he-params-zstd-bomb.tenseal', { params: sealBlob(compressed, 'zstd') }],
  ['he-params-zstd-rle-bomb.tenseal', { params: sealBlob(zstdRleBomb(4 * GiB), 'zstd') }],
  ['he-params-zlib-bomb.tenseal', { params: sealBlob(zlibBomb(64 * 2 ** 20), 'zlib') }],
  ['he-secret-key-zstd-bomb.tenseal', { secretKey: sealBlob(compressed, 'zstd') }],
  ['he-params-seal-refuses.tenseal', { params: await insecureParams() }],
]
for (const [name, change] of variants) {
  const file = {
    ...client,
    encryptionParameters: change.params ?? client.encryptionParameters,
    // A parameters bomb needs no key after it (SEAL reads the parameters first): smaller files.
    private: {
      ...client.private!,
      secretKey: change.secretKey ?? (change.params ? undefined : client.private!.secretKey),
    },
  }
  const bytes = encodeTensealContext(file)
  writeFileSync(join(OUT, name), bytes)
  console.log(`${name}: ${bytes.length} bytes`)
}
