/** Name rules of NVFlare project files (anchored on the whole string; see NVFLARE-FORMATS.md §1). */

const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOST_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`)
const SITE_NAME = /^[A-Za-z0-9_-]+$/
const ORG_NAME = /^[A-Za-z0-9_]+$/
const ROLE_NAME = /^[A-Za-z0-9_]+$/
const EMAIL =
  /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/
const STUDY_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
/** Names Windows reserves for devices: a kit folder with such a name cannot be unpacked there. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i

/** X.509 limits a common name to 64 characters; the name is the certificate CN and the folder name. */
export const MAX_NAME_LENGTH = 64

/** True for names Windows reserves for devices (CON, NUL, COM1, LPT1.txt, ...). */
export function isWindowsReserved(name: string): boolean {
  return WINDOWS_RESERVED.test(name)
}

export const KNOWN_ROLES = ['project_admin', 'org_admin', 'lead', 'member'] as const

export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && /^[0-9A-Fa-f:.]+$/.test(value))
}

export function isHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value)
}

export function isHostOrIp(value: string): boolean {
  return isHostName(value) || isIpAddress(value)
}

/** Why `name` is not a valid name for a participant of this type, or undefined when it is. */
export function participantNameProblem(type: string, name: string): string | undefined {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name)
  if (name.length === 0) return 'expected a non-empty name'
  if (name.length > MAX_NAME_LENGTH) {
    return `expected at most ${MAX_NAME_LENGTH} characters (the name becomes the certificate CN), got ${name.length}`
  }
  if (WINDOWS_RESERVED.test(name)) return `${shown} is a device name reserved on Windows; choose another name`
  switch (type) {
    case 'server':
      return HOST_NAME.test(name)
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
