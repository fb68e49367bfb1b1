import { generateKeyPairSync } from 'node:crypto'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { checkCsr, createCsr } from '../../../src/provision/distributed/csr.js'
import type { ParticipantFields } from '../../../src/provision/distributed/participant.js'
import { testKeys } from '../../helpers/pki-fixtures.js'

const site: ParticipantFields = { name: 'site-9', org: 'hospital_c', type: 'client' }
const expectBad = (fn: () => unknown, message: RegExp) =>
  expect(fn).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }))

/** Re-encodes a CSR after changing its parsed form (forge), signed again by `sign` or left as it was. */
function reencode(pem: string, change: (der: Buffer) => void): string {
  const der = Buffer.from(forge.util.decode64(pem.replace(/-----[A-Z ]+-----|\n/g, '')), 'binary')
  change(der)
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE REQUEST-----\n`
}

describe('checkCsr', () => {
  const keyPem = testKeys(1)[0]!

  it('accepts our CSR and refuses a subject that differs from the request fields', () => {
    const pem = createCsr(keyPem, site)
    expect(checkCsr(pem, site, 'r').bits).toBe(2048)
    expectBad(
      () => checkCsr(pem, { ...site, name: 'site-8' }, 'r'),
      /CN is "site-9", but the request says "site-8"/,
    )
    expectBad(() => checkCsr(pem, { ...site, org: 'other' }, 'r'), /subject O/)
    expectBad(() => checkCsr(pem, { ...site, type: 'admin', role: 'lead' }, 'r'), /role/)
  })

  it('refuses a CSR whose signed content was changed', () => {
    const pem = createCsr(keyPem, site)
    const der = Buffer.from(forge.util.decode64(pem.replace(/-----[A-Z ]+-----|\n/g, '')), 'binary')
    const at = der.indexOf(Buffer.from('site-9'))
    const tampered = reencode(pem, (d) => {
      d[at + 5] = '8'.charCodeAt(0)
    })
    expect(der.length).toBeGreaterThan(at)
    expectBad(() => checkCsr(tampered, { ...site, name: 'site-8' }, 'r'), /signature does not verify/)
  })

  it('refuses an RSA key under 2048 bits, a SHA-1 signature and extra subject attributes', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    })
    expectBad(() => checkCsr(createCsr(String(small), site), site, 'r'), /RSA-1024/)
    const csr = forge.pki.createCertificationRequest()
    const forgeKey = forge.pki.privateKeyFromPem(keyPem)
    csr.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e)
    csr.setSubject([
      { shortName: 'CN', value: 'site-9' },
      { shortName: 'O', value: 'hospital_c' },
    ])
    csr.sign(forgeKey, forge.md.sha1.create())
    expectBad(() => checkCsr(forge.pki.certificationRequestToPem(csr), site, 'r'), /sha1WithRSAEncryption/)
    csr.setSubject([
      { shortName: 'CN', value: 'site-9' },
      { shortName: 'O', value: 'hospital_c' },
      { shortName: 'OU', value: 'x' },
    ])
    csr.sign(forgeKey, forge.md.sha256.create())
    expectBad(() => checkCsr(forge.pki.certificationRequestToPem(csr), site, 'r'), /other than CN, O/)
  })

  it('refuses a CSR whose key is not RSA, and one that is not a CSR', () => {
    const pem = createCsr(keyPem, site)
    // rsaEncryption (1.2.840.113549.1.1.1) becomes RSAES-OAEP (…1.1.7): same length, not an RSA key to forge.
    const oid = Buffer.from('06092a864886f70d010101', 'hex')
    const notRsa = reencode(pem, (d) => {
      d[d.indexOf(oid) + oid.length - 1] = 0x07
    })
    expectBad(() => checkCsr(notRsa, site, 'r'), /not an RSA key/)
    expectBad(
      () =>
        checkCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', site, 'r'),
      /cannot be read/,
    )
  })
})
