import type { ClientParticipant, Project, RelayParticipant } from './types.js'

/** Fully qualified site name of a client: its chain of parent clients and itself, joined by '.'. */
export function clientFqsn(project: Project, client: ClientParticipant): string {
  return chain(client, (c) => project.clients.find((p) => p.name === c.parent)).join('.')
}

/** Fully qualified cell name of a relay: its chain of parent relays and itself, joined by '.'. */
export function relayFqcn(project: Project, relay: RelayParticipant): string {
  return chain(relay, (r) => project.relays.find((p) => p.name === r.parent)).join('.')
}

/** Relays sorted so that a parent comes before its children. */
export function relaysByDepth(project: Project): RelayParticipant[] {
  return [...project.relays].sort(
    (a, b) => relayFqcn(project, a).split('.').length - relayFqcn(project, b).split('.').length,
  )
}

function chain<T extends { name: string }>(start: T, parentOf: (node: T) => T | undefined): string[] {
  const names: string[] = []
  const seen = new Set<string>()
  for (let node: T | undefined = start; node && !seen.has(node.name); node = parentOf(node)) {
    seen.add(node.name)
    names.unshift(node.name)
  }
  return names
}
