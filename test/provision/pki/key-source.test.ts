import { afterEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../../src/errors.js'
import { KeyPool, runKeys } from '../../../src/provision/pki/key-pool.js'
import { DEFAULT_KEY_METHOD, keyMethodName, parseKeyMethod } from '../../../src/provision/pki/key-source.js'
import { fixtureKeySource } from '../../helpers/key-fixtures.js'

const realOpenssl = process.versions.openssl

/** Pretends the runtime has another OpenSSL (process.versions.openssl is read-only but configurable). */
function mockOpenssl(version: string): void {
  Object.defineProperty(process.versions, 'openssl', { value: version, configurable: true, enumerable: true })
}

describe('the default key method', () => {
  afterEach(() => mockOpenssl(realOpenssl))

  // OpenSSL 3.5's generator costs about 1.7x the CPU of the prime search per key (key-source.ts), so the
  // default does not follow the runtime's OpenSSL
  it.each(['3.5.9', '3.6.0', '3.0.19', '1.1.1w', ''])('is the prime search with OpenSSL %j', (version) => {
    mockOpenssl(version)
    expect(DEFAULT_KEY_METHOD).toBe('prime-search')
    const pool = new KeyPool() // no worker starts before a key is asked for: nothing to close
    expect(pool.method).toBe('prime-search')
    expect(pool.name).toBe('prime-search')
    expect(runKeys(undefined).source.name).toBe('prime-search')
  })

  it('names OpenSSL with its version', () => {
    expect(keyMethodName('openssl', '3.5.1')).toBe('openssl-3.5.1')
    expect(keyMethodName('prime-search', '3.5.1')).toBe('prime-search')
    mockOpenssl('3.5.9')
    expect(new KeyPool({ method: 'openssl' }).name).toBe('openssl-3.5.9')
  })
})

describe('the keys of a run', () => {
  it('use a given source as it is, and leave closing it to the caller', () => {
    const source = fixtureKeySource()
    expect(runKeys(source)).toEqual({ source, closeWhenDone: false })
  })

  it('come from a pool of the run when a method or nothing is given, which the run closes', () => {
    for (const choice of ['openssl', 'prime-search', undefined] as const) {
      const keys = runKeys(choice)
      expect(keys.closeWhenDone).toBe(true)
      expect(keys.source).toBeInstanceOf(KeyPool)
      expect((keys.source as KeyPool).method).toBe(choice ?? DEFAULT_KEY_METHOD)
      expect((keys.source as KeyPool).size).toBe(0)
    }
  })

  it('refuse what is neither a method nor a KeySource (exit 2, naming keySource)', () => {
    for (const bad of ['rsa', 42, { take: () => 'x' }, null]) {
      const error = (() => {
        try {
          runKeys(bad as never)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(ProvisionError)
      expect(error).toMatchObject({ code: 'bad-key-source', exitCode: 2 })
      expect((error as ProvisionError).message).toMatch(/^keySource: /)
    }
    expect(() => parseKeyMethod('RSA', '--key-source')).toThrow(/--key-source: unknown key source "RSA"/)
  })
})
