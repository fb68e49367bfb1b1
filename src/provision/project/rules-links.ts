import type { IndexedEntry, Rule } from './findings.js'
import { studyNameProblem, zipNameProblem } from './names.js'
import type { ParticipantEntry } from './schema.js'

/** Rules across entries: unique names, one server, references between participants, studies. */

export const checkUniqueNames: Rule = ({ entries }, report) => {
  const seen = new Map<string, IndexedEntry>()
  for (const item of entries) {
    const key = item.entry.name.toLowerCase()
    const first = seen.get(key)
    if (first) {
      const same =
        first.entry.name === item.entry.name
          ? 'is already used'
          : `differs only in case from "${first.entry.name}" (kit folders would collide)`
      report.problem(
        ['participants', item.index, 'name'],
        `name "${item.entry.name}" ${same} by participants[${first.index}]; names must be unique`,
      )
    } else seen.set(key, item)
  }
  const byLowerName = new Map([...seen].map(([key, item]) => [key, item.entry.name]))
  for (const item of entries) {
    const zip = zipNameProblem(item.entry.name, byLowerName)
    if (zip) report.problem(['participants', item.index, 'name'], zip)
  }
}

export const checkOneServer: Rule = ({ file, entries }, report) => {
  const servers = entries.filter((e) => e.entry.type === 'server')
  if (servers.length === 0 && Array.isArray(file.participants))
    report.problem(['participants'], 'expected exactly one participant of type server, found none')
  for (const extra of servers.slice(1)) {
    report.problem(
      ['participants', extra.index, 'type'],
      `expected exactly one server; "${servers[0]!.entry.name}" is already the server`,
    )
  }
}

export const checkReferences: Rule = ({ entries }, report) => {
  const byName = new Map(entries.map((e) => [e.entry.name, e.entry]))
  for (const { index, entry } of entries) {
    if (entry.type !== 'client' && entry.type !== 'relay' && entry.type !== 'admin') continue
    const at = ['participants', index]
    const target = typeof entry.connect_to === 'string' ? undefined : entry.connect_to?.name
    if (target !== undefined && !['relay', 'server'].includes(byName.get(target)?.type ?? '')) {
      report.problem(
        [...at, 'connect_to', 'name'],
        `expected the name of the server or a relay, got ${JSON.stringify(target)}`,
      )
    } else if (target === entry.name)
      report.problem([...at, 'connect_to', 'name'], 'a participant cannot connect to itself')
    if (entry.type === 'client' && entry.parent !== undefined) {
      const parentType = byName.get(entry.parent)?.type
      if (parentType !== 'client' && parentType !== 'server') {
        report.problem(
          [...at, 'parent'],
          `expected the name of another client (or the server), got ${JSON.stringify(entry.parent)}`,
        )
      }
    }
  }
  for (const type of ['client', 'relay'] as const) {
    const cycle = findCycle(entries, type, (e) => (type === 'client' ? e.parent : connectToName(e)))
    if (cycle)
      report.problem(
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
  entries: readonly IndexedEntry[],
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

export const checkStudies: Rule = ({ file, entries }, report) => {
  if (!file.studies || typeof file.studies !== 'object') return
  if (file.api_version !== 4)
    report.problem(['studies'], `studies need api_version: 4 (the file says ${String(file.api_version)})`)
  const byName = new Map(entries.map((e) => [e.entry.name, e.entry]))
  for (const [name, study] of Object.entries(file.studies)) {
    const at = ['studies', name]
    const nameIssue = studyNameProblem(name)
    if (nameIssue) report.problem(at, nameIssue)
    for (const [org, clients] of Object.entries(study?.site_orgs ?? {})) {
      clients.forEach((client, i) => {
        const p = byName.get(client)
        if (p?.type !== 'client')
          report.problem(
            [...at, 'site_orgs', org, i],
            `expected the name of a client, got ${JSON.stringify(client)}`,
          )
        else if (p.org !== org)
          report.problem(
            [...at, 'site_orgs', org, i],
            `client "${client}" belongs to org "${p.org}", not "${org}"`,
          )
      })
    }
    ;(study?.admins ?? []).forEach((admin, i) => {
      if (byName.get(admin)?.type !== 'admin')
        report.problem([...at, 'admins', i], `expected the name of an admin, got ${JSON.stringify(admin)}`)
    })
  }
}
