import { afterEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../../src/errors.js'
import { KeyPool, runKeys } from '../../../src/provision/pki/key-pool.js'
import {
  defaultKeyMethod,
  keyMethodName,
  parseKeyMethod,
  parseOpensslVersion,
} from '../../../src/provision/pki/key-source.js'
import { fixtureKeySource } from '../../helpers/key-fixtures.js'

const realOpenssl = process.versions.openssl

/** Pretends the runtime has another OpenSSL (process.versions.openssl is read-only but configurable). */
function mockOpenssl(version: string): void {
  Object.defineProperty(process.versions, 'openssl', { value: version, configurable: true, enumerable: true })
}

describe('the default key method', () => {
  afterEach(() => mockOpenssl(realOpenssl))

  it.each([
    ['3.5.0', 'openssl'],
    ['3.5.1', 'openssl'],
    ['3.6.0', 'openssl'],
    ['3.10.2', 'openssl'], // numbers, not text: 3.10 is newer than 3.5
    ['4.0.0', 'openssl'],
    ['3.5.0-beta1', 'openssl'],
    ['3.4.9', 'prime-search'],
    ['3.0.15+quic', 'prime-search'], // Node 20 and 22.0-22.19
    ['3.0.19', 'prime-search'],
    ['1.1.1w', 'prime-search'],
    ['', 'prime-search'],
    ['boringssl', 'prime-search'], // unreadable: counts as old
  ] as const)('OpenSSL %j: %s', (version, method) => {
    expect(defaultKeyMethod(version)).toBe(method)
    mockOpenssl(version)
    expect(defaultKeyMethod()).toBe(method)
    const pool = new KeyPool() // no worker starts before a key is asked for: nothing to close
    expect(pool.method).toBe(method)
    expect(pool.name).toBe(method === 'openssl' ? `openssl-${version}` : 'prime-search')
    expect(runKeys(undefined).source.name).toBe(pool.name)
  })

  it('reads the version numbers', () => {
    expect(parseOpensslVersion('3.0.15+quic')).toEqual({ major: 3, minor: 0, patch: 15 })
    expect(parseOpensslVersion('1.1.1w')).toEqual({ major: 1, minor: 1, patch: 1 })
    expect(parseOpensslVersion('3.5')).toBeUndefined()
    expect(keyMethodName('openssl', '3.5.1')).toBe('openssl-3.5.1')
    expect(keyMethodName('prime-search', '3.5.1')).toBe('prime-search')
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
      expect((keys.source as KeyPool).method).toBe(choice ?? defaultKeyMethod())
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
