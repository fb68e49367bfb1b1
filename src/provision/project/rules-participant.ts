import { isHostOrIp, KNOWN_ROLES, orgProblem, participantNameProblem, roleProblem } from './names.js'
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
  if (p.connection_security !== undefined && !SECURITY.includes(p.connection_security.toLowerCase())) {
    problem(
      'connection_security',
      `expected clear, tls or mtls, got ${JSON.stringify(p.connection_security)}`,
    )
  }
  if (p.default_host !== undefined && !isHostOrIp(p.default_host)) {
    problem('default_host', `expected a host name or IP address, got ${JSON.stringify(p.default_host)}`)
  }
  const hosts = typeof p.host_names === 'string' ? [p.host_names] : (p.host_names ?? [])
  hosts.forEach((h, i) => {
    if (!isHostOrIp(h)) {
      result.problems.push({
        path: [...at, 'host_names', ...(typeof p.host_names === 'string' ? [] : [i])],
        message: `expected a host name or IP address, got ${JSON.stringify(h)}`,
      })
    }
  })
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
  const host = typeof lh === 'string' ? lh : lh.default_host
  if (host === undefined)
    result.problems.push({ path, message: 'expected default_host: the host name the listener is reached at' })
  else if (!isHostOrIp(host))
    result.problems.push({ path, message: `expected a host name or IP address, got ${JSON.stringify(host)}` })
  if (
    typeof lh !== 'string' &&
    lh.connection_security &&
    !SECURITY.includes(lh.connection_security.toLowerCase())
  ) {
    result.problems.push({
      path: [...path, 'connection_security'],
      message: `expected clear, tls or mtls, got ${JSON.stringify(lh.connection_security)}`,
    })
  }
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
