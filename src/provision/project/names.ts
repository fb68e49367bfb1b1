import { isIP } from 'node:net'
import { GENERATED_TOP_LEVEL, Layout } from '../layout.js'

/** Name rules of NVFlare project files (anchored on the whole string; see NVFLARE-FORMATS.md §1). */

const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOST_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`)
const SITE_NAME = /^[A-Za-z0-9_-]+$/
const ORG_NAME = /^[A-Za-z0-9_]+$/
const ROLE_NAME = /^[A-Za-z0-9_]+$/
const EMAIL =
  /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/
const STUDY_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/
/** A connection scheme (grpc, tcp, http, ...), as written into the kits' JSON configs. */
const SCHEME = /^[a-z][a-z0-9+.-]{0,15}$/
/** An all-digit last label: `1.2.3.256` is a mistyped address, not a host name (RFC 3696 §2). */
const NUMERIC_TLD = /(?:^|\.)\d+$/
/** Names Windows reserves for devices: a kit folder with such a name cannot be unpacked there. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i

/** X.509 limits a common name to 64 characters; the name is the certificate CN and the folder name. */
export const MAX_NAME_LENGTH = 64

/** True for names Windows reserves for devices (CON, NUL, COM1, LPT1.txt, ...). */
export function isWindowsReserved(name: string): boolean {
  return WINDOWS_RESERVED.test(name)
}

export const KNOWN_ROLES = ['project_admin', 'org_admin', 'lead', 'member'] as const

/**
 * An IPv4 or IPv6 address as node:net parses it (the same test the certificate code uses to make an IP SAN),
 * without an IPv6 zone (`fe80::1%eth0`): a certificate's IP entry has no room for one.
 */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0 && !value.includes('%')
}

/**
 * A DNS host name (RFC 1123): labels of 1-63 letters, digits and '-' (not at either end), 253 characters in
 * all, and a last label that is not all digits (RFC 3696 §2: `1.2.3.256` is a mistyped address).
 */
export function isHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value) && !NUMERIC_TLD.test(value)
}

export function isHostOrIp(value: string): boolean {
  return isHostName(value) || isIpAddress(value)
}

/** Why `value` is neither a host name nor an IP address, or undefined when it is one of them. */
export function hostProblem(value: string): string | undefined {
  if (isHostOrIp(value)) return undefined
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  const why = /^[^:]+:\d+$/.test(value) ? "; a port goes in its own key, not after ':'" : ''
  return `expected a host name or IP address (a DNS name: letters, digits and '-' in labels separated by '.'; or an IPv4/IPv6 address), got ${shown}${why}`
}

/** Why `name` is not a valid name for a participant of this type, or undefined when it is. */
export function participantNameProblem(type: string, name: string): string | undefined {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name)
  if (name.length === 0) return 'expected a non-empty name'
  if (name.length > MAX_NAME_LENGTH) {
    return `expected at most ${MAX_NAME_LENGTH} characters (the name becomes the certificate CN), got ${name.length}`
  }
  if (WINDOWS_RESERVED.test(name)) return `${shown} is a device name reserved on Windows; choose another name`
  const generated = GENERATED_TOP_LEVEL.find((g) => g.toLowerCase() === name.toLowerCase())
  if (generated) {
    return `${shown} is reserved: fedforge writes ${generated} beside the kit folders in prod_NN, where this kit's folder would go; choose another name`
  }
  switch (type) {
    case 'server':
      // an IPv4 address is a folder name too, and becomes an IP SAN; an IPv6 one cannot be a folder name
      return isHostName(name) || isIP(name) === 4
        ? undefined
        : `expected a DNS host name (letters, digits and '-', labels separated by '.'), got ${shown}`
    case 'admin':
      return EMAIL.test(name) ? undefined : `expected an e-mail address for an admin, got ${shown}`
    default:
      return SITE_NAME.test(name)
        ? undefined
        : `expected a ${type} name of letters, digits, '_' and '-' only, got ${shown}`
  }
}

export function orgProblem(org: string): string | undefined {
  if (org.length === 0 || org.length > MAX_NAME_LENGTH || !ORG_NAME.test(org)) {
    return `expected an org name of letters, digits and '_' only (1-${MAX_NAME_LENGTH} characters), got ${JSON.stringify(org.slice(0, 80))}`
  }
  return undefined
}

export function roleProblem(role: string): string | undefined {
  if (role.length === 0 || role.length > MAX_NAME_LENGTH || !ROLE_NAME.test(role)) {
    return `expected a role of letters, digits and '_' only (such as ${KNOWN_ROLES.join(', ')}), got ${JSON.stringify(role.slice(0, 80))}`
  }
  return undefined
}

export function studyNameProblem(name: string): string | undefined {
  if (name === 'default') return "the study name 'default' is reserved"
  return STUDY_NAME.test(name)
    ? undefined
    : `expected a study name of lower-case letters, digits, '_' and '-' (1-63 characters, starting and ending with a letter or digit), got ${JSON.stringify(name.slice(0, 80))}`
}

/**
 * Why `name` collides with the zip that `--zip` writes for another participant (`site-1.zip` beside
 * `site-1`), or undefined. `byLowerName` maps every participant name in lower case to the name (kit folders
 * are compared without case, as on a case-insensitive file system).
 */
export function zipNameProblem(name: string, byLowerName: ReadonlyMap<string, string>): string | undefined {
  const lower = name.toLowerCase()
  if (!lower.endsWith(Layout.zipSuffix)) return undefined
  const other = byLowerName.get(lower.slice(0, -Layout.zipSuffix.length))
  if (other === undefined) return undefined
  return `${JSON.stringify(name)} is reserved: with --zip the kit of "${other}" is written as ${other}${Layout.zipSuffix} beside the kit folders; choose another name`
}

export function schemeProblem(scheme: string): string | undefined {
  return SCHEME.test(scheme)
    ? undefined
    : `expected a scheme such as grpc, tcp or http (lower-case letters, digits, '+', '.' and '-'), got ${JSON.stringify(scheme.slice(0, 80))}`
}
