import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'
import forge from 'node-forge'
import type { Credential } from '../context.js'

const { asn1, pki } = forge

/** OID of PKCS#9 unstructuredName, where NVFlare puts an admin's role. */
export const UNSTRUCTURED_NAME_OID = '1.2.840.113549.1.9.2'
const DAY_MS = 86_400_000
/** NVFlare issues every leaf for 360 days (capped at the root's notAfter). */
export const LEAF_VALID_DAYS = 360

export interface CertParams {
  /** Start of validity (milliseconds are dropped, as X.509 times have none). */
  now: Date
  /** Source of the 20-byte serials. Default: `crypto.randomBytes`. */
  randomBytes?: (size: number) => Uint8Array
}

/** What a leaf certificate says: NVFlare's subject and SAN rules plus our stricter leaf profile. */
export interface LeafSpec {
  /** CN. */
  name: string
  /** O. */
  org: string
  /** An admin's role, written as unstructuredName. */
  role?: string | undefined
  /** SAN entries in order; IP literals become IP entries, everything else DNS. */
  sanHosts: string[]
  /** EKU serverAuth + clientAuth (server and listener certificates); otherwise clientAuth only. */
  serverAuth: boolean
  /** The subject's private key (PEM); its public half goes into the certificate. */
  keyPem: string
}

/** A CA ready to sign: parsed once, reused for every leaf. */
export interface Issuer {
  credential: Credential
  subject: forge.pki.CertificateField[]
  keyId: string
  notAfter: Date
  key: KeyObject
}

function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000)
}

/** 20 random bytes read as a positive INTEGER that keeps all 20 bytes in DER (first byte 0x01..0x7f). */
export function randomSerialHex(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = Buffer.from(random(20))
  bytes[0] = bytes[0]! & 0x7f || 0x01
  return bytes.toString('hex')
}

function utf8Attr(shortName: 'CN' | 'O', value: string): forge.pki.CertificateField {
  // @types/node-forge types valueTagClass as an asn1.Class, but node-forge writes it as the value's
  // ASN.1 type tag (asn1.Type.UTF8 = 12): the types cannot say it without the cast.
  return { shortName, value, valueTagClass: asn1.Type.UTF8 as unknown as forge.asn1.Class }
}

export function subjectAttributes(cn: string, org?: string, role?: string): forge.pki.CertificateField[] {
  const attrs = [utf8Attr('CN', cn)]
  if (org !== undefined) attrs.push(utf8Attr('O', org))
  if (role) attrs.push({ type: UNSTRUCTURED_NAME_OID, value: role, valueTagClass: asn1.Type.UTF8 as never })
  return attrs
}

/** SAN entries: IP literals as iPAddress (type 7), the rest as dNSName (type 2); duplicates dropped. */
export function sanEntries(hosts: string[]): { type: number; value?: string; ip?: string }[] {
  return [...new Set(hosts)].map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }))
}

const PKCS1_PEM = /^-----BEGIN RSA PRIVATE KEY-----\n([A-Za-z0-9+/=\n]+)-----END RSA PRIVATE KEY-----\n?$/

/**
 * The public half of a private key PEM, for node-forge. A PKCS#1 key (ours, and NVFlare's) is read with
 * forge's DER parser, taking n and e from RSAPrivateKey ::= SEQUENCE { version, n, e, ... }: about 15x
 * faster than OpenSSL 3's PEM decoder, which matters at hundreds of keys. Anything else goes to OpenSSL.
 */
function forgePublicKey(keyPem: string): forge.pki.rsa.PublicKey {
  const pkcs1 = PKCS1_PEM.exec(keyPem)
  if (pkcs1) {
    const fields = asn1.fromDer(forge.util.decode64(pkcs1[1]!.replace(/\n/g, ''))).value
    const [version, n, e] = Array.isArray(fields) ? fields : []
    if (
      version?.type === asn1.Type.INTEGER &&
      n?.type === asn1.Type.INTEGER &&
      e?.type === asn1.Type.INTEGER
    ) {
      const int = (node: forge.asn1.Asn1) =>
        new forge.jsbn.BigInteger(forge.util.bytesToHex(node.value as string), 16)
      return pki.setRsaPublicKey(int(n), int(e))
    }
  }
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' })
  return pki.publicKeyFromPem(String(spki)) as forge.pki.rsa.PublicKey
}

/** Signs the TBS with Node's crypto (OpenSSL), not node-forge's JavaScript RSA, and returns the PEM. */
function signWith(cert: forge.pki.Certificate, key: KeyObject): string {
  const oid = pki.oids['sha256WithRSAEncryption']!
  cert.siginfo.algorithmOid = oid
  cert.signatureOid = oid
  // pki.getTBSCertificate and cert.tbsCertificate exist in node-forge (certificateToPem reads the cached
  // TBS) but not in @types/node-forge: the casts name the two members the typings lack.
  const tbs = (
    pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert)
  const der = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary')
  cert.signature = sign('sha256', der, key).toString('binary')
  ;(cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs
  return pki.certificateToPem(cert).replace(/\r\n/g, '\n')
}

function baseCert(keyPem: string, params: CertParams, notAfter: Date): forge.pki.Certificate {
  const cert = pki.createCertificate()
  cert.publicKey = forgePublicKey(keyPem)
  cert.serialNumber = randomSerialHex(params.randomBytes)
  cert.validity.notBefore = truncateToSecond(params.now)
  cert.validity.notAfter = truncateToSecond(notAfter)
  return cert
}

/** The self-signed root CA: CN = project, CA:TRUE and KeyUsage critical, SKI = AKI, SAN DNS:<project>. */
export function issueRootCert(
  projectName: string,
  keyPem: string,
  validDays: number,
  params: CertParams,
): string {
  const cert = baseCert(keyPem, params, new Date(params.now.getTime() + validDays * DAY_MS))
  const subject = subjectAttributes(projectName)
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectAltName', altNames: sanEntries([projectName]) },
  ])
  return signWith(cert, createPrivateKey(keyPem))
}

/** Parses the root once for signing many leaves. */
export function createIssuer(root: Credential): Issuer {
  const cert = pki.certificateFromPem(root.certPem)
  const ski = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null
  const keyId = ski?.subjectKeyIdentifier
    ? forge.util.hexToBytes(ski.subjectKeyIdentifier)
    : cert.generateSubjectKeyIdentifier().getBytes()
  return {
    credential: root,
    subject: cert.subject.attributes.map((a) => ({ ...a })) as forge.pki.CertificateField[],
    keyId,
    notAfter: cert.validity.notAfter,
    key: createPrivateKey(root.keyPem),
  }
}

/** A leaf signed by `issuer`, valid from now to min(now + 360 days, the issuer's notAfter). */
export function issueLeafCert(spec: LeafSpec, issuer: Issuer, params: CertParams): string {
  const end = Math.min(params.now.getTime() + LEAF_VALID_DAYS * DAY_MS, issuer.notAfter.getTime())
  const cert = baseCert(spec.keyPem, params, new Date(end))
  cert.setSubject(subjectAttributes(spec.name, spec.org, spec.role))
  cert.setIssuer(issuer.subject)
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuer.keyId },
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    spec.serverAuth
      ? { name: 'extKeyUsage', serverAuth: true, clientAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectAltName', altNames: sanEntries(spec.sanHosts) },
  ])
  return signWith(cert, issuer.key)
}
