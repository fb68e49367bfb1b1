import { X509Certificate } from 'node:crypto'
import { statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { type CertInfo, parseCertInfo } from '../pki/cert-info.js'
import { keyMatchesCert } from '../pki/participant-certs.js'
import type { ParticipantType } from '../project/types.js'
import { type Check, fail, ok, warn } from './types.js'

const EXPIRY_WARNING_DAYS = 30
const DAY_MS = 86_400_000

export function chainCheck(
  leafPem: string,
  rootPem: string,
  kitRootPem: string | undefined,
  label: string,
): Check {
  const root = new X509Certificate(rootPem)
  if (!root.checkIssued(root) || !root.verify(root.publicKey))
    return fail('chain', 'the root CA is not self-signed')
  const kitRoot = kitRootPem === undefined ? undefined : new X509Certificate(kitRootPem).fingerprint256
  if (kitRoot !== undefined && kitRoot !== root.fingerprint256) {
    return fail('chain', `startup/rootCA.pem is not the given root CA (${kitRoot})`)
  }
  const leaf = new X509Certificate(leafPem)
  if (!leaf.checkIssued(root) || !leaf.verify(root.publicKey)) {
    return fail('chain', `${label} is not issued by the root CA ${root.subject.replace(/\n/g, ', ')}`)
  }
  return ok('chain', `${label} chains to the root CA`)
}

function rootProfile(root: CertInfo): string[] {
  const problems: string[] = []
  if (!root.basicConstraints?.ca || !root.basicConstraints.critical)
    problems.push('root: BasicConstraints CA:TRUE critical missing')
  if (!root.keyUsage?.keyCertSign) problems.push('root: KeyUsage keyCertSign missing')
  return problems
}

export function profileCheck(root: CertInfo, leaf: CertInfo, type: ParticipantType, label: string): Check {
  const problems = rootProfile(root)
  const notes: string[] = []
  if (leaf.keyBits < 2048) problems.push(`${label}: RSA key of ${leaf.keyBits} bits`)
  if (leaf.signatureAlgorithm !== 'sha256WithRSAEncryption')
    problems.push(`${label}: signed with ${leaf.signatureAlgorithm}`)
  if (leaf.basicConstraints?.ca) problems.push(`${label}: a leaf certificate with CA:TRUE`)
  if (leaf.keyUsage && !leaf.keyUsage.digitalSignature)
    problems.push(`${label}: KeyUsage without digitalSignature`)
  const needServer = type === 'server' || label.endsWith('(listener)')
  if (leaf.extKeyUsage && needServer && !leaf.extKeyUsage.serverAuth)
    problems.push(`${label}: EKU without serverAuth`)
  if (leaf.extKeyUsage && !needServer && !leaf.extKeyUsage.clientAuth)
    problems.push(`${label}: EKU without clientAuth`)
  if (leaf.san.length === 0) problems.push(`${label}: no subjectAltName`)
  if (!leaf.basicConstraints || !leaf.keyUsage || !leaf.extKeyUsage)
    notes.push(`${label}: NVFlare's leaf profile (no BasicConstraints/KeyUsage/EKU)`)
  if (problems.length > 0) return fail('profile', problems.join('; '))
  if (notes.length > 0) return warn('profile', notes.join('; '))
  return ok('profile', `${label}: RSA-${leaf.keyBits}, sha256WithRSA, CA:FALSE, KeyUsage and EKU as required`)
}

/** CN = kit name (admins: fed_admin.json username); the server CN a client or admin expects. */
export function identityCheck(
  dir: string,
  type: ParticipantType,
  leaf: CertInfo,
  expected: { name: string; serverIdentity?: unknown; serverCn?: string },
): Check {
  if (leaf.cn !== expected.name)
    return fail('identity', `certificate CN "${leaf.cn}" is not "${expected.name}"`)
  if (type !== 'client' && type !== 'admin') return ok('identity', `CN = ${leaf.cn}`)
  if (typeof expected.serverIdentity !== 'string')
    return fail('identity', `the kit does not name the server identity`)
  if (expected.serverCn === undefined) {
    return warn(
      'identity',
      `CN = ${leaf.cn}; server identity "${expected.serverIdentity}" not compared (no server kit beside ${basename(dir)})`,
    )
  }
  if (expected.serverCn !== expected.serverIdentity) {
    return fail(
      'identity',
      `the server identity "${expected.serverIdentity}" is not the server certificate CN "${expected.serverCn}"`,
    )
  }
  return ok('identity', `CN = ${leaf.cn}; server identity = ${expected.serverCn}`)
}

export function keyCheck(startup: string, keyFile: string, keyPem: string, certPem: string): Check {
  const mode = statSync(join(startup, keyFile)).mode & 0o777
  let matches = false
  try {
    matches = keyMatchesCert(keyPem, certPem)
  } catch {
    return fail('key', `startup/${keyFile} is not a readable private key`)
  }
  if (!matches) return fail('key', `startup/${keyFile} does not match the certificate`)
  if (mode & 0o077)
    return fail('key', `startup/${keyFile} is readable by others (mode ${mode.toString(8)}; expected 600)`)
  return ok('key', `startup/${keyFile} matches the certificate, mode 600`)
}

export function expiryCheck(certs: { label: string; info: CertInfo }[], now: Date): Check {
  const soonest = certs.reduce((a, b) => (b.info.notAfter < a.info.notAfter ? b : a))
  for (const { label, info } of certs) {
    if (info.notBefore > now)
      return fail('expiry', `${label} is not valid before ${info.notBefore.toISOString()}`)
    if (info.notAfter <= now) return fail('expiry', `${label} expired on ${info.notAfter.toISOString()}`)
  }
  const days = Math.floor((soonest.info.notAfter.getTime() - now.getTime()) / DAY_MS)
  const text = `${soonest.label} expires on ${soonest.info.notAfter.toISOString()} (${days} days)`
  return days < EXPIRY_WARNING_DAYS ? warn('expiry', text) : ok('expiry', text)
}

export { parseCertInfo }
