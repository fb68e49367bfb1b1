import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto'
import { ExitCode, ProvisionError } from '../../errors.js'
import type { Credential } from '../context.js'
import { KIT_KINDS, LISTENER_CERT_FILES } from '../kit-kinds.js'
import type { Participant } from '../project/types.js'
import { parseCertInfo } from './cert-info.js'
import type { LeafSpec } from './certs.js'

/** Where a participant's certificate and key go in its kit (KIT_KINDS: relays use the client names). */
export function kitCertFiles(p: Pick<Participant, 'type'>): { cert: string; key: string } {
  const { cert, key } = KIT_KINDS[p.type]
  return { cert, key }
}

/**
 * A client's or relay's listener certificate (`listening_host`) is a server certificate, written as
 * `startup/server.crt` + `server.key` like NVFlare's CertBuilder does.
 */
export const listenerCertFiles = LISTENER_CERT_FILES

/** SAN hosts of a participant's certificate: the server's default host and host names, else its name. */
export function sanHostsFor(p: Participant): string[] {
  return p.type === 'server' ? [p.defaultHost, ...p.hostNames] : [p.name]
}

export function leafSpecFor(p: Participant, keyPem: string): LeafSpec {
  return {
    name: p.name,
    org: p.org,
    role: p.type === 'admin' ? p.role : undefined,
    sanHosts: sanHostsFor(p),
    serverAuth: p.type === 'server',
    keyPem,
  }
}

/** The listener certificate's spec, or undefined when the participant has no listening_host. */
export function listenerSpecFor(p: Participant, keyPem: string): LeafSpec | undefined {
  if ((p.type !== 'client' && p.type !== 'relay') || !p.listeningHost) return undefined
  const lh = p.listeningHost
  return { name: p.name, org: p.org, sanHosts: [lh.host, ...lh.hostNames], serverAuth: true, keyPem }
}

export function keyMatchesCert(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' })
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })
  return Buffer.compare(fromKey, fromCert) === 0
}

function changed(
  p: Participant,
  what: string,
  before: string,
  now: string,
  stateFile: string,
): ProvisionError {
  return new ProvisionError(
    'cert-identity-changed',
    `${p.name}'s certificate in ${stateFile} has ${what} "${before}", but the project now says "${now}"`,
    {
      hint: `restore ${what} "${before}" in project.yml, or rename the participant; reissuing a certificate for a different identity under the same name would silently change who ${p.name} is`,
      exitCode: ExitCode.conflict,
    },
  )
}

/**
 * Checks a stored credential against the project: same org (and role for admins). Its chain and key
 * were checked when the state was loaded (checkCertState). Returns warnings for what still works but
 * deserves attention.
 */
export function checkStoredCredential(p: Participant, cred: Credential, stateFile: string): string[] {
  const info = parseCertInfo(cred.certPem)
  if ((info.org ?? '') !== p.org) throw changed(p, 'org', info.org ?? '', p.org, stateFile)
  if (p.type === 'admin' && (info.role ?? '') !== p.role)
    throw changed(p, 'role', info.role ?? '', p.role, stateFile)
  const wanted = new Set(sanHostsFor(p))
  const stored = new Set(info.san.map((s) => s.replace(/^(DNS|IP):/, '')))
  const sameSan = wanted.size === stored.size && [...wanted].every((h) => stored.has(normalizeIp(h, stored)))
  return sameSan
    ? []
    : [
        `${p.name}'s stored certificate covers ${[...stored].join(', ')}, not ${[...wanted].join(', ')}; ` +
          `it is reused unchanged (remove its entry from ${stateFile} to reissue it)`,
      ]
}

/** forge prints IPv6 SAN entries in full form; match a short form written in project.yml. */
function normalizeIp(host: string, stored: Set<string>): string {
  if (stored.has(host) || !host.includes(':')) return host
  for (const s of stored) {
    if (s.includes(':') && expandIpv6(s) === expandIpv6(host)) return s
  }
  return host
}

function expandIpv6(ip: string): string {
  const [head = '', tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const middle = ip.includes('::') ? Array(8 - h.length - t.length).fill('0') : []
  return [...h, ...middle, ...t].map((x) => x.padStart(4, '0').toLowerCase()).join(':')
}
