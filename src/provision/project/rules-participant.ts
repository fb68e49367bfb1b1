import {
  hostProblem,
  KNOWN_ROLES,
  orgProblem,
  participantNameProblem,
  roleProblem,
  schemeProblem,
} from './names.js'
import type { RuleResult } from './rules.js'
import type { ParticipantEntry } from './schema.js'
import type { KeyPath } from './source.js'

/** Rules about one participant entry: its name, org, role, hosts and listener. */

const SECURITY = ['clear', 'tls', 'mtls']

export function checkParticipant(p: ParticipantEntry, at: KeyPath, result: RuleResult): void {
  const problem = (key: string, message: string) => result.problems.push({ path: [...at, key], message })
  if (p.type === 'overseer') {
    result.warnings.push({
      path: at,
      message: `overseer "${p.name}" ignored: NVFlare 2.4+ runs without an overseer`,
    })
    return
  }
  const nameProblem = participantNameProblem(p.type, p.name)
  if (nameProblem) problem('name', nameProblem)
  const org = orgProblem(p.org)
  if (org) problem('org', org)
  if (p.type === 'admin') checkAdminRole(p, at, result)
  checkSecurity(p.connection_security, [...at, 'connection_security'], result)
  const host = hostChecker(result)
  if (p.default_host !== undefined) host([...at, 'default_host'], p.default_host)
  hostList(p.host_names, [...at, 'host_names'], host)
  checkConnectTo(p, at, result)
  checkListeningHost(p, at, result)
  if (p.type === 'relay' && p.listening_host === undefined) {
    problem(
      'listening_host',
      `expected listening_host for relay "${p.name}" (the host and port its clients connect to)`,
    )
  }
}

function checkListeningHost(p: ParticipantEntry, at: KeyPath, result: RuleResult): void {
  const lh = p.listening_host
  if (lh === undefined) return
  const path = [...at, 'listening_host']
  const host = hostChecker(result)
  if (typeof lh === 'string') {
    host(path, lh)
    return
  }
  if (lh.default_host === undefined)
    result.problems.push({ path, message: 'expected default_host: the host name the listener is reached at' })
  else host([...path, 'default_host'], lh.default_host)
  hostList(lh.host_names, [...path, 'host_names'], host)
  const scheme = lh.scheme === undefined ? undefined : schemeProblem(lh.scheme)
  if (scheme) result.problems.push({ path: [...path, 'scheme'], message: scheme })
  checkSecurity(lh.connection_security, [...path, 'connection_security'], result)
}

function checkSecurity(value: string | undefined, path: KeyPath, result: RuleResult): void {
  if (value !== undefined && !SECURITY.includes(value.toLowerCase())) {
    result.problems.push({
      path,
      message: `expected clear, tls or mtls, got ${JSON.stringify(value.slice(0, 80))}`,
    })
  }
}

type HostCheck = (path: KeyPath, value: string) => void

function hostChecker(result: RuleResult): HostCheck {
  return (path, value) => {
    const problem = hostProblem(value)
    if (problem) result.problems.push({ path, message: problem })
  }
}

/** `host_names`: one name, or a list of names. */
function hostList(value: string | string[] | undefined, path: KeyPath, host: HostCheck): void {
  if (typeof value === 'string') host(path, value)
  else
    value?.forEach((h, i) => {
      host([...path, i], h)
    })
}

/** `connect_to`: a host (string form), or `host` of the mapping form (`name` is checked in rules-links). */
function checkConnectTo(p: ParticipantEntry, at: KeyPath, result: RuleResult): void {
  const ct = p.connect_to
  const path = [...at, 'connect_to']
  if (typeof ct === 'string') hostChecker(result)(path, ct)
  else if (ct?.host !== undefined) hostChecker(result)([...path, 'host'], ct.host)
  if (typeof ct === 'object') checkSecurity(ct.connection_security, [...path, 'connection_security'], result)
}

function checkAdminRole(p: ParticipantEntry, at: KeyPath, result: RuleResult): void {
  const path = [...at, 'role']
  if (p.role === undefined) {
    result.problems.push({
      path,
      message: `expected a role for admin "${p.name}" (${KNOWN_ROLES.join(', ')})`,
    })
    return
  }
  const problem = roleProblem(p.role)
  if (problem) result.problems.push({ path, message: problem })
  else if (!(KNOWN_ROLES as readonly string[]).includes(p.role)) {
    result.warnings.push({
      path,
      message: `role "${p.role}" is not one of ${KNOWN_ROLES.join(', ')}; the default authorization policy gives it no rights`,
    })
  }
}
