import forge from 'node-forge'
import { UNSTRUCTURED_NAME_OID } from './certs.js'

/** The parts of a certificate that provisioning and `provision verify` look at. */
export interface CertInfo {
  cn: string | undefined
  org: string | undefined
  /** unstructuredName (an admin's role). */
  role: string | undefined
  issuerCn: string | undefined
  /** SAN entries as `DNS:name` / `IP:address`. */
  san: string[]
  notBefore: Date
  notAfter: Date
  serialHex: string
  basicConstraints: { ca: boolean; critical: boolean } | undefined
  keyUsage:
    | { digitalSignature: boolean; keyEncipherment: boolean; keyCertSign: boolean; critical: boolean }
    | undefined
  extKeyUsage: { serverAuth: boolean; clientAuth: boolean } | undefined
  hasSki: boolean
  hasAki: boolean
  keyBits: number
  publicExponent: number
  signatureAlgorithm: string
}

function attr(fields: forge.pki.CertificateField[], pick: (f: forge.pki.CertificateField) => boolean) {
  const value = fields.find(pick)?.value
  return typeof value === 'string' ? decodeUtf8(value) : undefined
}

function decodeUtf8(binary: string): string {
  // node-forge keeps UTF8String values as raw bytes in a binary string.
  try {
    return forge.util.decodeUtf8(binary)
  } catch {
    return binary
  }
}

type Ext = Record<string, unknown> & { critical?: boolean }

function sanList(ext: Ext | null): string[] {
  const names = (ext?.['altNames'] as { type: number; value: string; ip?: string }[] | undefined) ?? []
  return names.map((n) =>
    n.type === 7 ? `IP:${n.ip ?? ''}` : n.type === 2 ? `DNS:${n.value}` : `other:${n.value}`,
  )
}

export function parseCertInfo(pem: string): CertInfo {
  const cert = forge.pki.certificateFromPem(pem)
  const ext = (name: string) => cert.getExtension(name) as Ext | null
  const bc = ext('basicConstraints')
  const ku = ext('keyUsage')
  const eku = ext('extKeyUsage')
  const key = cert.publicKey as forge.pki.rsa.PublicKey
  return {
    cn: attr(cert.subject.attributes, (f) => f.shortName === 'CN'),
    org: attr(cert.subject.attributes, (f) => f.shortName === 'O'),
    role: attr(cert.subject.attributes, (f) => f.type === UNSTRUCTURED_NAME_OID),
    issuerCn: attr(cert.issuer.attributes, (f) => f.shortName === 'CN'),
    san: sanList(ext('subjectAltName')),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    serialHex: cert.serialNumber,
    basicConstraints: bc ? { ca: bc['cA'] === true, critical: bc.critical === true } : undefined,
    keyUsage: ku
      ? {
          digitalSignature: ku['digitalSignature'] === true,
          keyEncipherment: ku['keyEncipherment'] === true,
          keyCertSign: ku['keyCertSign'] === true,
          critical: ku.critical === true,
        }
      : undefined,
    extKeyUsage: eku
      ? { serverAuth: eku['serverAuth'] === true, clientAuth: eku['clientAuth'] === true }
      : undefined,
    hasSki: ext('subjectKeyIdentifier') !== null,
    hasAki: ext('authorityKeyIdentifier') !== null,
    keyBits: key.n.bitLength(),
    publicExponent: key.e.intValue(),
    signatureAlgorithm: forge.pki.oids[cert.siginfo.algorithmOid] ?? cert.siginfo.algorithmOid,
  }
}
