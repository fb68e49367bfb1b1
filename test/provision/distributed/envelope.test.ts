import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openSealed, type SealBinding, sealTo } from '../../../src/provision/distributed/envelope.js'
import { testKeys } from '../../helpers/pki-fixtures.js'

const [sitePem, otherPem] = testKeys(2) as [string, string]
const siteKey = createPrivateKey(sitePem)
const sitePublic = createPublicKey(siteKey)
const binding: SealBinding = { siteName: 'site-9', requestSha256: 'ab'.repeat(32) }
const data = randomBytes(5000)

const expectRefused = (fn: () => unknown, message: RegExp) =>
  expect(fn).toThrow(
    expect.objectContaining({
      code: 'sealed-envelope',
      exitCode: 2,
      message: expect.stringMatching(message),
    }),
  )

describe('sealed envelope', () => {
  it('opens with the site key and the same binding, and does not hold the data in the clear', () => {
    const sealed = sealTo(sitePublic, data, binding)
    expect(openSealed(siteKey, sealed, binding, 'e').equals(data)).toBe(true)
    expect(sealed.includes(data.subarray(100, 132))).toBe(false)
    expect(sealed.length).toBe(7 + 256 + 12 + 16 + data.length)
    expect(sealTo(sitePublic, data, binding).equals(sealed)).toBe(false) // a fresh key and IV each time
  })

  it('refuses another site key, another site name and another request', () => {
    const sealed = sealTo(sitePublic, data, binding)
    expectRefused(
      () => openSealed(createPrivateKey(otherPem), sealed, binding, 'e'),
      /does not open with this site's key/,
    )
    expectRefused(
      () => openSealed(siteKey, sealed, { ...binding, siteName: 'site-8' }, 'e'),
      /integrity check/,
    )
    expectRefused(
      () => openSealed(siteKey, sealed, { ...binding, requestSha256: 'cd'.repeat(32) }, 'e'),
      /integrity check/,
    )
  })

  const fields: [string, number, RegExp][] = [
    ['magic', 0, /not a sealed envelope/],
    ['version', 4, /version \d+ is not supported/],
    ['key length', 6, /sealed to an RSA key of/],
    ['wrapped key', 7 + 100, /does not open/],
    ['IV', 7 + 256 + 3, /integrity check/],
    ['tag', 7 + 256 + 12 + 5, /integrity check/],
    ['ciphertext', 7 + 256 + 28 + 2000, /integrity check/],
  ]
  for (const [field, offset, message] of fields) {
    it(`refuses a changed ${field}`, () => {
      const sealed = sealTo(sitePublic, data, binding)
      sealed[offset]! ^= 0x01
      expectRefused(() => openSealed(siteKey, sealed, binding, 'e'), message)
    })
  }

  it('refuses every truncation', () => {
    const sealed = sealTo(sitePublic, data, binding)
    for (const length of [0, 3, 6, 7, 100, 7 + 256, 7 + 256 + 27, 7 + 256 + 28, sealed.length - 1]) {
      expect(() => openSealed(siteKey, sealed.subarray(0, length), binding, 'e')).toThrow(
        expect.objectContaining({ code: 'sealed-envelope', exitCode: 2 }),
      )
    }
  })
})
