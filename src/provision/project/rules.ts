import { findBuilder, knownBuilderNames } from '../builders/registry.js'
import {
  isHostOrIp,
  isWindowsReserved,
  KNOWN_ROLES,
  orgProblem,
  participantNameProblem,
  roleProblem,
  studyNameProblem,
} from './names.js'
import type { ParticipantEntry, ProjectFile } from './schema.js'
import type { KeyPath } from './source.js'

/** One finding of the rules: where it is and what was expected. */
export interface Finding {
  path: KeyPath
  message: string
  /** Where to point when the key path has no position of its own (a YAML syntax error, a binary byte). */
  pos?: { line: number; col: number }
}

export interface RuleResult {
  problems: Finding[]
  warnings: Finding[]
}

/** A participant entry that passed the schema, with its index in `participants`. */
export interface IndexedEntry {
  index: number
  entry: ParticipantEntry
}

export const MAX_PARTICIPANTS = 10_000
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const SECURITY = ['clear', 'tls', 'mtls']

/** Cross-field rules of a project file (names, uniqueness, one server, references, studies, builders). */
export function checkRules(file: Partial<ProjectFile>, entries: IndexedEntry[]): RuleResult {
  const result: RuleResult = { problems: [], warnings: [] }
  const problem = (path: KeyPath, message: string) => result.problems.push({ path, message })
  if (typeof file.name === 'string' && !PROJECT_NAME.test(file.name)) {
    problem(
      ['name'],
      `expected a project name of letters, digits, '_', '.' and '-' (1-64 characters, not starting with '.' or '-'), got ${JSON.stringify(file.name.slice(0, 80))}`,
    )
  } else if (typeof file.name === 'string' && isWindowsReserved(file.name)) {
    problem(
      ['name'],
      `${JSON.stringify(file.name)} is a device name reserved on Windows; choose another project name`,
    )
  }
  if (Array.isArray(file.participants) && file.participants.length > MAX_PARTICIPANTS) {
    problem(
      ['participants'],
      `expected at most ${MAX_PARTICIPANTS} participants, got ${file.participants.length}`,
    )
    return result
  }
  for (const { index, entry } of entries) checkParticipant(entry, ['participants', index], result)
  checkUniqueNames(entries, problem)
  checkOneServer(entries, Array.isArray(file.participants), problem)
  checkReferences(entries, problem)
  checkStudies(file, entries, problem)
  checkBuilders(file, problem)
  return result
}

function checkParticipant(p: ParticipantEntry, at: KeyPath, result: RuleResult): void {
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
  if (p.type === 'admin') {
    if (p.role === undefined)
      problem('role', `expected a role for admin "${p.name}" (${KNOWN_ROLES.join(', ')})`)
    else if (roleProblem(p.role)) problem('role', roleProblem(p.role)!)
    else if (!(KNOWN_ROLES as readonly string[]).includes(p.role)) {
      result.warnings.push({
        path: [...at, 'role'],
        message: `role "${p.role}" is not one of ${KNOWN_ROLES.join(', ')}; the default authorization policy gives it no rights`,
      })
    }
  }
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

type Report = (path: KeyPath, message: string) => void

function checkUniqueNames(entries: IndexedEntry[], problem: Report): void {
  const seen = new Map<string, IndexedEntry>()
  for (const item of entries) {
    const key = item.entry.name.toLowerCase()
    const first = seen.get(key)
    if (first) {
      const same =
        first.entry.name === item.entry.name
          ? 'is already used'
          : `differs only in case from "${first.entry.name}" (kit folders would collide)`
      problem(
        ['participants', item.index, 'name'],
        `name "${item.entry.name}" ${same} by participants[${first.index}]; names must be unique`,
      )
    } else seen.set(key, item)
  }
}

function checkOneServer(entries: IndexedEntry[], haveList: boolean, problem: Report): void {
  const servers = entries.filter((e) => e.entry.type === 'server')
  if (servers.length === 0 && haveList)
    problem(['participants'], 'expected exactly one participant of type server, found none')
  for (const extra of servers.slice(1)) {
    problem(
      ['participants', extra.index, 'type'],
      `expected exactly one server; "${servers[0]!.entry.name}" is already the server`,
    )
  }
}

function checkReferences(entries: IndexedEntry[], problem: Report): void {
  const byName = new Map(entries.map((e) => [e.entry.name, e.entry]))
  for (const { index, entry } of entries) {
    if (entry.type !== 'client' && entry.type !== 'relay' && entry.type !== 'admin') continue
    const at = ['participants', index]
    const target = typeof entry.connect_to === 'string' ? undefined : entry.connect_to?.name
    if (target !== undefined && !['relay', 'server'].includes(byName.get(target)?.type ?? '')) {
      problem(
        [...at, 'connect_to', 'name'],
        `expected the name of the server or a relay, got ${JSON.stringify(target)}`,
      )
    } else if (target === entry.name)
      problem([...at, 'connect_to', 'name'], 'a participant cannot connect to itself')
    if (entry.type === 'client' && entry.parent !== undefined) {
      const parentType = byName.get(entry.parent)?.type
      if (parentType !== 'client' && parentType !== 'server') {
        problem(
          [...at, 'parent'],
          `expected the name of another client (or the server), got ${JSON.stringify(entry.parent)}`,
        )
      }
    }
  }
  for (const type of ['client', 'relay'] as const) {
    const cycle = findCycle(entries, type, (e) => (type === 'client' ? e.parent : connectToName(e)))
    if (cycle)
      problem(
        ['participants', cycle.index],
        `${type} "${cycle.entry.name}" is part of a loop of ${type === 'client' ? 'parent' : 'connect_to'} references`,
      )
  }
}

function connectToName(e: ParticipantEntry): string | undefined {
  return typeof e.connect_to === 'string' ? undefined : e.connect_to?.name
}

/** The first entry of `type` whose chain of parents comes back to itself. */
function findCycle(
  entries: IndexedEntry[],
  type: 'client' | 'relay',
  parentOf: (e: ParticipantEntry) => string | undefined,
): IndexedEntry | undefined {
  const byName = new Map(entries.filter((e) => e.entry.type === type).map((e) => [e.entry.name, e]))
  for (const start of byName.values()) {
    const seen = new Set<string>()
    let node: IndexedEntry | undefined = start
    while (node) {
      if (seen.has(node.entry.name)) return start
      seen.add(node.entry.name)
      const parent = parentOf(node.entry)
      node = parent === undefined ? undefined : byName.get(parent)
    }
  }
  return undefined
}

function checkStudies(file: Partial<ProjectFile>, entries: IndexedEntry[], problem: Report): void {
  if (!file.studies || typeof file.studies !== 'object') return
  if (file.api_version !== 4)
    problem(['studies'], `studies need api_version: 4 (the file says ${String(file.api_version)})`)
  const byName = new Map(entries.map((e) => [e.entry.name, e.entry]))
  for (const [name, study] of Object.entries(file.studies)) {
    const at = ['studies', name]
    const nameIssue = studyNameProblem(name)
    if (nameIssue) problem(at, nameIssue)
    for (const [org, clients] of Object.entries(study?.site_orgs ?? {})) {
      clients.forEach((client, i) => {
        const p = byName.get(client)
        if (p?.type !== 'client')
          problem(
            [...at, 'site_orgs', org, i],
            `expected the name of a client, got ${JSON.stringify(client)}`,
          )
        else if (p.org !== org)
          problem([...at, 'site_orgs', org, i], `client "${client}" belongs to org "${p.org}", not "${org}"`)
      })
    }
    ;(study?.admins ?? []).forEach((admin, i) => {
      if (byName.get(admin)?.type !== 'admin')
        problem([...at, 'admins', i], `expected the name of an admin, got ${JSON.stringify(admin)}`)
    })
  }
}

function checkBuilders(file: Partial<ProjectFile>, problem: Report): void {
  if (!Array.isArray(file.builders)) return
  const seen = new Map<string, number>()
  file.builders.forEach((b, i) => {
    if (typeof b?.path !== 'string') return
    const factory = findBuilder(b.path)
    if (!factory) {
      problem(
        ['builders', i, 'path'],
        `unknown builder ${JSON.stringify(b.path)}; known builders: ${knownBuilderNames()}`,
      )
      return
    }
    const first = seen.get(factory.id)
    if (first !== undefined)
      problem(['builders', i, 'path'], `builder "${factory.id}" is already listed at builders[${first}]`)
    else seen.set(factory.id, i)
  })
}
