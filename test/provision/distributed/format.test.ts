import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../src/provision/distributed/canonical-json.js'
import { normalizeFingerprint } from '../../../src/provision/distributed/format.js'

const hex = 'a1b2'.repeat(16)
const colon = `SHA256:${hex.toUpperCase().match(/../g)!.join(':')}`

describe('normalizeFingerprint', () => {
  it('accepts the forms NVFlare and openssl print, and refuses anything else', () => {
    expect(normalizeFingerprint(hex)).toBe(colon)
    expect(normalizeFingerprint(colon)).toBe(colon)
    expect(normalizeFingerprint(`sha256 Fingerprint=${colon.slice(7)}`)).toBe(colon)
    expect(normalizeFingerprint(`  SHA256=${hex}\n`)).toBe(colon)
    expect(normalizeFingerprint(hex.slice(2))).toBeUndefined()
    expect(normalizeFingerprint(`${colon}:00`)).toBeUndefined()
    expect(normalizeFingerprint('SHA1:AA')).toBeUndefined()
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every level and has no white space', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe(
      '{"a":true,"b":[1,{"c":null,"d":"x"}]}',
    )
    expect(canonicalJson(JSON.parse(JSON.stringify({ z: 'é\n', y: 2 })))).toBe('{"y":2,"z":"é\\n"}')
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/)
  })
})
