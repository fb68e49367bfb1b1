import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import forge from 'node-forge'
import { subjectAttributes, UNSTRUCTURED_NAME_OID } from '../pki/certs.js'
import { badFile } from './format.js'
import type { ParticipantFields } from './participant.js'

const { asn1, pki } = forge

/** The smallest RSA modulus a request may carry (NVFlare's and ours: 2048). */
export const MIN_RSA_BITS = 2048
const SHA256_RSA = pki.oids['sha256WithRSAEncryption']!

/** forge keeps the CertificationRequestInfo it signs; the typings do not list the function that makes it. */
interface ForgeCsrApi {
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1
}

function forgePublicKey(key: KeyObject): forge.pki.PublicKey {
  return pki.publicKeyFromPem(String(createPublicKey(key).export({ type: 'spki', format: 'pem' })))
}

/**
 * A PKCS#10 request for the participant's key: subject CN = name, O = org (and unstructuredName = role
 * for an admin, as NVFlare's certificates carry it), signed with SHA-256 by Node's crypto.
 */
export function createCsr(keyPem: string, fields: ParticipantFields): string {
  const key = createPrivateKey(keyPem)
  const csr = pki.createCertificationRequest()
  csr.publicKey = forgePublicKey(key)
  csr.setSubject(
    subjectAttributes(fields.name, fields.org, fields.type === 'admin' ? fields.role : undefined),
  )
  csr.signatureOid = SHA256_RSA
  csr.siginfo.algorithmOid = SHA256_RSA
  const cri = (pki as unknown as ForgeCsrApi).getCertificationRequestInfo(csr)
  csr.certificationRequestInfo = cri
  csr.signature = sign('sha256', Buffer.from(asn1.toDer(cri).getBytes(), 'binary'), key).toString('binary')
  return pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n')
}

/** What a checked request's CSR gives the admin: the subject's public key. */
export interface CheckedCsr {
  publicKey: KeyObject
  /** SPKI PEM of the public key. */
  publicKeyPem: string
  bits: number
}

function decodeUtf8(binary: string): string {
  try {
    return forge.util.decodeUtf8(binary)
  } catch {
    return binary
  }
}

function subjectValue(
  csr: forge.pki.CertificateSigningRequest,
  pick: (f: forge.pki.CertificateField) => boolean,
) {
  const found = csr.subject.attributes.filter(pick)
  if (found.length > 1) return { value: undefined, repeated: true }
  const value = found[0]?.value
  return { value: typeof value === 'string' ? decodeUtf8(value) : undefined, repeated: false }
}

function parseCsr(csrPem: string, where: string): forge.pki.CertificateSigningRequest {
  try {
    return pki.certificationRequestFromPem(csrPem, false, true)
  } catch (cause) {
    const rsa = /not RSA/i.test(String((cause as Error).message))
    throw badFile(where, rsa ? 'the CSR key is not an RSA key' : 'the CSR cannot be read', undefined, cause)
  }
}

function checkSignature(csr: forge.pki.CertificateSigningRequest, key: KeyObject, where: string): void {
  if (csr.signatureOid !== SHA256_RSA) {
    const name = pki.oids[csr.signatureOid ?? ''] ?? csr.signatureOid
    throw badFile(where, `the CSR is signed with ${name}; expected sha256WithRSAEncryption`)
  }
  const cri = csr.certificationRequestInfo
  const signature = Buffer.from(String(csr.signature), 'binary')
  const good =
    cri !== null && verify('sha256', Buffer.from(asn1.toDer(cri).getBytes(), 'binary'), key, signature)
  if (!good) throw badFile(where, 'the CSR signature does not verify with its own key (tampered?)')
}

function checkSubject(
  csr: forge.pki.CertificateSigningRequest,
  fields: ParticipantFields,
  where: string,
): void {
  const expected: [string, (f: forge.pki.CertificateField) => boolean, string | undefined][] = [
    ['CN', (f) => f.shortName === 'CN', fields.name],
    ['O', (f) => f.shortName === 'O', fields.org],
    [
      'unstructuredName (role)',
      (f) => f.type === UNSTRUCTURED_NAME_OID,
      fields.type === 'admin' ? fields.role : undefined,
    ],
  ]
  for (const [label, pick, want] of expected) {
    const got = subjectValue(csr, pick)
    if (got.repeated) throw badFile(where, `the CSR subject has more than one ${label}`)
    if (got.value !== want) {
      const shown = (v: string | undefined) => (v === undefined ? 'none' : JSON.stringify(v))
      throw badFile(
        where,
        `the CSR subject ${label} is ${shown(got.value)}, but the request says ${shown(want)}`,
      )
    }
  }
  if (csr.subject.attributes.length !== expected.filter(([, , want]) => want !== undefined).length) {
    throw badFile(where, 'the CSR subject has attributes other than CN, O and (for an admin) the role')
  }
}

/** Checks a request's CSR: RSA of 2048 bits or more, a valid self-signature, the subject of `fields`. */
export function checkCsr(csrPem: string, fields: ParticipantFields, where: string): CheckedCsr {
  const csr = parseCsr(csrPem, where)
  const forgeKey = csr.publicKey as forge.pki.rsa.PublicKey | null
  if (!forgeKey?.n) throw badFile(where, 'the CSR has no RSA public key')
  const bits = forgeKey.n.bitLength()
  if (bits < MIN_RSA_BITS)
    throw badFile(where, `the CSR key is RSA-${bits}; at least RSA-${MIN_RSA_BITS} is required`)
  const publicKeyPem = pki.publicKeyToPem(forgeKey).replace(/\r\n/g, '\n')
  const publicKey = createPublicKey(publicKeyPem)
  checkSignature(csr, publicKey, where)
  checkSubject(csr, fields, where)
  return { publicKey, publicKeyPem, bits }
}
