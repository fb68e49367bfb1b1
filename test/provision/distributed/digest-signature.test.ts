import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify,
} from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { emsaPssEncode, signSha256Digest } from '../../../src/provision/distributed/digest-signature.js'
import { verifyContent } from '../../../src/provision/pki/signing.js'
import { testKeys } from '../../helpers/pki-fixtures.js'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest()

describe('signSha256Digest', () => {
  it('makes a signature that verifies over the content, with the maximum salt NVFlare verifies with', () => {
    const key = createPrivateKey(testKeys(1)[0]!)
    const content = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nnot really a key\n')
    const signature = Buffer.from(signSha256Digest(key, sha256(content)), 'base64')
    const pub = createPublicKey(key)
    const pss = { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING }
    expect(verify('sha256', content, { ...pss, saltLength: 222 }, signature)).toBe(true)
    expect(verify('sha256', content, { ...pss, saltLength: 32 }, signature)).toBe(false)
    expect(verifyContent(pub, content, signature.toString('base64'))).toBe(true)
    expect(verifyContent(pub, Buffer.concat([content, Buffer.from('x')]), signature.toString('base64'))).toBe(
      false,
    )
  })

  it('works for moduli that are not a multiple of 8 bits', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2049 })
    const content = Buffer.from('odd modulus')
    expect(verifyContent(publicKey, content, signSha256Digest(privateKey, sha256(content)))).toBe(true)
  })

  it('encodes EM as RFC 8017 says: trailer 0xbc, top bit clear, and refuses a digest of the wrong size', () => {
    const em = emsaPssEncode(Buffer.alloc(32, 7), 2048)
    expect(em.length).toBe(256)
    expect(em[255]).toBe(0xbc)
    expect(em[0]! & 0x80).toBe(0)
    expect(() => emsaPssEncode(Buffer.alloc(20), 2048)).toThrow(/32-byte/)
  })
})
