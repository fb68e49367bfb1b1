import { DEFAULT_BUILDER_IDS, findBuilder } from '../builders/registry.js'
import { requirementsFile } from './builder-files.js'
import type { ConnectToEntry, ListeningHostEntry, ParticipantEntry, ProjectFile } from './schema.js'
import type {
  BuilderSpec,
  ConnectionSecurity,
  ConnectTo,
  ListeningHost,
  Participant,
  Project,
  ServerParticipant,
  Study,
} from './types.js'

const CORE_KEYS = new Set(['name', 'type', 'org'])

/**
 * ProjectFile (checked by schema and rules) → Project with defaults applied. Files named by builder
 * arguments become absolute paths under `baseDir`, so that builders read the very file the rules checked.
 */
export function normalizeProject(file: ProjectFile, warnings: string[], baseDir = process.cwd()): Project {
  const serverName = file.participants.find((p) => p.type === 'server')?.name ?? ''
  const participants = file.participants
    .filter((p) => p.type !== 'overseer')
    .map((p) => normalizeParticipant(p, serverName))
  const server = participants.find((p): p is ServerParticipant => p.type === 'server')
  if (!server)
    throw new Error('normalizeProject called on a project without a server (rules should have refused it)')
  return {
    apiVersion: file.api_version,
    name: file.name,
    description: file.description ?? '',
    participants,
    server,
    clients: participants.filter((p) => p.type === 'client'),
    admins: participants.filter((p) => p.type === 'admin'),
    relays: participants.filter((p) => p.type === 'relay'),
    builders: normalizeBuilders(file, baseDir),
    studies: normalizeStudies(file),
    warnings,
  }
}

function normalizeParticipant(p: ParticipantEntry, serverName: string): Participant {
  const connectTo = normalizeConnectTo(p.connect_to)
  const props = Object.fromEntries(Object.entries(p).filter(([k]) => !CORE_KEYS.has(k)))
  const base = { name: p.name, org: p.org, props }
  switch (p.type) {
    case 'server': {
      const fedLearnPort = p.fed_learn_port ?? 8002
      return {
        ...base,
        type: 'server',
        fedLearnPort,
        adminPort: p.admin_port ?? fedLearnPort,
        defaultHost: p.default_host ?? p.name,
        hostNames: toList(p.host_names),
        connectionSecurity: security(p.connection_security) ?? 'mtls',
      }
    }
    case 'admin':
      return { ...base, type: 'admin', role: p.role ?? 'member' }
    case 'relay': {
      const parent =
        connectTo?.name !== undefined && connectTo.name !== serverName ? connectTo.name : undefined
      return {
        ...base,
        type: 'relay',
        listeningHost: normalizeListeningHost(p.listening_host),
        connectTo,
        parent,
      }
    }
    default:
      return {
        ...base,
        type: 'client',
        numOfGpus: p.capacity?.num_of_gpus ?? 0,
        memPerGpuInGiB: p.capacity?.mem_per_gpu_in_GiB ?? 0,
        allowLogStreaming: p.allow_log_streaming,
        listeningHost: normalizeListeningHost(p.listening_host),
        connectTo,
        parent: p.parent !== undefined && p.parent !== serverName ? p.parent : undefined,
        relay: connectTo?.name !== undefined && connectTo.name !== serverName ? connectTo.name : undefined,
      }
  }
}

function normalizeListeningHost(lh: ListeningHostEntry | undefined): ListeningHost | undefined {
  if (lh === undefined) return undefined
  if (typeof lh === 'string') {
    return { host: lh, hostNames: [], port: undefined, scheme: 'grpc', connectionSecurity: undefined }
  }
  return {
    host: lh.default_host ?? '',
    hostNames: toList(lh.host_names),
    port: lh.port,
    scheme: lh.scheme ?? 'grpc',
    connectionSecurity: security(lh.connection_security),
  }
}

function normalizeConnectTo(ct: ConnectToEntry | undefined): ConnectTo | undefined {
  if (ct === undefined) return undefined
  if (typeof ct === 'string')
    return { name: undefined, host: ct, port: undefined, connectionSecurity: undefined }
  return { name: ct.name, host: ct.host, port: ct.port, connectionSecurity: security(ct.connection_security) }
}

function normalizeBuilders(file: ProjectFile, baseDir: string): BuilderSpec[] {
  const entries = file.builders ?? DEFAULT_BUILDER_IDS.map((id) => ({ path: id, args: {} }))
  return entries.map((b) => {
    const factory = findBuilder(b.path)
    if (!factory)
      throw new Error(`normalizeBuilders: unknown builder ${b.path} (rules should have refused it)`)
    const args = b.args ?? {}
    const requirements = factory.id === 'docker' ? requirementsFile(args, baseDir) : undefined
    return {
      id: factory.id,
      path: b.path,
      args: requirements ? { ...args, requirements_file: requirements.path } : args,
    }
  })
}

function normalizeStudies(file: ProjectFile): Study[] {
  return Object.entries(file.studies ?? {}).map(([name, s]) => ({
    name,
    siteOrgs: s.site_orgs,
    admins: s.admins ?? [],
  }))
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return typeof value === 'string' ? [value] : value
}

function security(value: string | undefined): ConnectionSecurity | undefined {
  return value === undefined ? undefined : (value.toLowerCase() as ConnectionSecurity)
}
