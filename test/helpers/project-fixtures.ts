import { join } from 'node:path'
import { createContext, type ProvisionOptions, type RunContext } from '../../src/provision/context.js'
import type { ProvisionEvent } from '../../src/provision/events.js'
import type { RunKeys } from '../../src/provision/pki/key-pool.js'
import type { KeySource } from '../../src/provision/pki/key-source.js'
import type {
  AdminParticipant,
  ClientParticipant,
  Participant,
  Project,
  RelayParticipant,
  ServerParticipant,
} from '../../src/provision/project/types.js'
import { fixtureKeySource } from './key-fixtures.js'

/** Hand-built participants, projects and contexts for builder tests (no project file involved). */

export const server = (over: Partial<ServerParticipant> = {}): ServerParticipant =>
  ({
    name: 'server1',
    type: 'server',
    org: 'nvidia',
    props: {},
    fedLearnPort: 8002,
    adminPort: 8002,
    defaultHost: 'server1',
    hostNames: ['server1.example.com', '10.1.2.3'],
    connectionSecurity: 'mtls',
    ...over,
  }) as ServerParticipant

export const client = (name: string, over: Partial<ClientParticipant> = {}): ClientParticipant =>
  ({
    name,
    type: 'client',
    org: 'nvidia',
    props: {},
    numOfGpus: 0,
    memPerGpuInGiB: 0,
    listeningHost: undefined,
    connectTo: undefined,
    parent: undefined,
    relay: undefined,
    allowLogStreaming: undefined,
    ...over,
  }) as ClientParticipant

export const admin = (name: string, role: string, org = 'nvidia'): AdminParticipant =>
  ({ name, type: 'admin', org, props: {}, role }) as AdminParticipant

export const relay = (name: string, over: Partial<RelayParticipant> = {}): RelayParticipant =>
  ({
    name,
    type: 'relay',
    org: 'nvidia',
    props: {},
    listeningHost: undefined,
    connectTo: undefined,
    parent: undefined,
    ...over,
  }) as RelayParticipant

/** A project from participants (first server is the server). */
export function makeProject(participants: Participant[], name = 'example_project'): Project {
  const srv = participants.find((p): p is ServerParticipant => p.type === 'server') ?? server()
  return {
    apiVersion: 3,
    name,
    description: '',
    participants,
    server: srv,
    clients: participants.filter((p): p is ClientParticipant => p.type === 'client'),
    admins: participants.filter((p): p is AdminParticipant => p.type === 'admin'),
    relays: participants.filter((p): p is RelayParticipant => p.type === 'relay'),
    builders: [],
    studies: [],
    warnings: [],
  }
}

/** A context on `<dir>/<project>/` with wip/ and state/, collecting events. */
export function makeContext(
  project: Project,
  dir: string,
  now: Date,
  options: Partial<ProvisionOptions> = {},
  /** The run's keys; a bare KeySource is the caller's (not closed by the run). Default: the cached test keys. */
  keys: KeySource | RunKeys = fixtureKeySource(),
): { ctx: RunContext; events: ProvisionEvent[] } {
  const events: ProvisionEvent[] = []
  const projectDir = join(dir, project.name)
  const ctx = createContext({
    project,
    options: { genScripts: false, zip: false, rotateHeKey: false, ...options },
    projectDir,
    stateDir: join(projectDir, 'state'),
    wipDir: join(projectDir, 'wip'),
    prodDir: join(projectDir, 'prod_00'),
    now: () => now,
    onEvent: (e) => events.push(e),
    keys: 'source' in keys ? keys : { source: keys, closeWhenDone: false },
  })
  return { ctx, events }
}
