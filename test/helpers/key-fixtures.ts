import type { KeySource } from '../../src/provision/pki/key-source.js'
import { generateRsaKeyPem } from '../../src/provision/pki/rsa-keygen.mjs'

const keyCache: string[] = []

/** `count` distinct RSA-2048 keys, made once per test process and shared by its tests. */
export function testKeys(count: number): string[] {
  while (keyCache.length < count) keyCache.push(generateRsaKeyPem())
  return keyCache.slice(0, count)
}

/**
 * A KeySource that hands out the cached keys in order from `offset` (then makes more), so builder tests stay
 * fast. `taken` lists what it handed out; `closed` counts its close calls.
 */
export function fixtureKeySource(offset = 0): KeySource & { taken: string[]; closed: number } {
  let next = offset
  const source = {
    name: 'test-fixture',
    taken: [] as string[],
    closed: 0,
    prefetch() {},
    take: async () => {
      const pem = testKeys(next + 1)[next++]!
      source.taken.push(pem)
      return pem
    },
    close: async () => {
      source.closed++
    },
  }
  return source
}
