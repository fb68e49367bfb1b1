import type { Reporter, Rule } from './findings.js'
import {
  hostProblem,
  KNOWN_ROLES,
  orgProblem,
  participantNameProblem,
  roleProblem,
  schemeProblem,
} from './names.js'
import type { ParticipantEntry } from './schema.js'
import type { KeyPath } from './source.js'

/** Rules about each participant entry: its name, org, role, hosts and listener. */

const SECURITY = ['clear', 'tls', 'mtls']

export const checkParticipants: Rule = ({ entries }, report) => {
  for (const { index, entry } of entries) checkParticipant(entry, ['participants', index], report)
}

function checkParticipant(p: ParticipantEntry, at: KeyPath, report: Reporter): void {
  const problem = (key: string, message: string) => report.problem([...at, key], message)
  if (p.type === 'overseer') {
    report.warning(at, `overseer "${p.name}" ignored: NVFlare 2.4+ runs without an overseer`)
    return
  }
  const nameProblem = participantNameProblem(p.type, p.name)
  if (nameProblem) problem('name', nameProblem)
  const org = orgProblem(p.org)
  if (org) problem('org', org)
  if (p.type === 'admin') checkAdminRole(p, at, report)
  checkSecurity(p.connection_security, [...at, 'connection_security'], report)
  const host = hostChecker(report)
  if (p.default_host !== undefined) host([...at, 'default_host'], p.default_host)
  hostList(p.host_names, [...at, 'host_names'], host)
  checkConnectTo(p, at, report)
  checkListeningHost(p, at, report)
  if (p.type === 'relay' && p.listening_host === undefined) {
    problem(
      'listening_host',
      `expected listening_host for relay "${p.name}" (the host and port its clients connect to)`,
    )
  }
}

function checkListeningHost(p: ParticipantEntry, at: KeyPath, report: Reporter): void {
  const lh = p.listening_host
  if (lh === undefined) return
  const path = [...at, 'listening_host']
  const host = hostChecker(report)
  if (typeof lh === 'string') {
    host(path, lh)
    return
  }
  if (lh.default_host === undefined)
    report.problem(path, 'expected default_host: the host name the listener is reached at')
  else host([...path, 'default_host'], lh.default_host)
  hostList(lh.host_names, [...path, 'host_names'], host)
  const scheme = lh.scheme === undefined ? undefined : schemeProblem(lh.scheme)
  if (scheme) report.problem([...path, 'scheme'], scheme)
  checkSecurity(lh.connection_security, [...path, 'connection_security'], report)
}

function checkSecurity(value: string | undefined, path: KeyPath, report: Reporter): void {
  if (value !== undefined && !SECURITY.includes(value.toLowerCase())) {
    report.problem(path, `expected clear, tls or mtls, got ${JSON.stringify(value.slice(0, 80))}`)
  }
}

type HostCheck = (path: KeyPath, value: string) => void

function hostChecker(report: Reporter): HostCheck {
  return (path, value) => {
    const problem = hostProblem(value)
    if (problem) report.problem(path, problem)
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
function checkConnectTo(p: ParticipantEntry, at: KeyPath, report: Reporter): void {
  const ct = p.connect_to
  const path = [...at, 'connect_to']
  if (typeof ct === 'string') hostChecker(report)(path, ct)
  else if (ct?.host !== undefined) hostChecker(report)([...path, 'host'], ct.host)
  if (typeof ct === 'object') checkSecurity(ct.connection_security, [...path, 'connection_security'], report)
}

function checkAdminRole(p: ParticipantEntry, at: KeyPath, report: Reporter): void {
  const path = [...at, 'role']
  if (p.role === undefined) {
    report.problem(path, `expected a role for admin "${p.name}" (${KNOWN_ROLES.join(', ')})`)
    return
  }
  const problem = roleProblem(p.role)
  if (problem) report.problem(path, problem)
  else if (!(KNOWN_ROLES as readonly string[]).includes(p.role)) {
    report.warning(
      path,
      `role "${p.role}" is not one of ${KNOWN_ROLES.join(', ')}; the default authorization policy gives it no rights`,
    )
  }
}
