import { findBuilder, knownBuilderNames } from '../builders/registry.js'
import { studyNameProblem, zipNameProblem } from './names.js'
import type { IndexedEntry } from './rules.js'
import type { ParticipantEntry, ProjectFile } from './schema.js'
import type { KeyPath } from './source.js'

/** Rules across entries: unique names, one server, references between participants, studies, builders. */

export type Report = (path: KeyPath, message: string) => void

export function checkUniqueNames(entries: IndexedEntry[], problem: Report): void {
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
  const byLowerName = new Map([...seen].map(([key, item]) => [key, item.entry.name]))
  for (const item of entries) {
    const zip = zipNameProblem(item.entry.name, byLowerName)
    if (zip) problem(['participants', item.index, 'name'], zip)
  }
}

export function checkOneServer(entries: IndexedEntry[], haveList: boolean, problem: Report): void {
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

export function checkReferences(entries: IndexedEntry[], problem: Report): void {
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

export function checkStudies(file: Partial<ProjectFile>, entries: IndexedEntry[], problem: Report): void {
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

export function checkBuilders(file: Partial<ProjectFile>, problem: Report): void {
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
