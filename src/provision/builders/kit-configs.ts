import { Layout } from '../layout.js'
import { clientFqsn, relayFqcn } from '../project/hierarchy.js'
import type {
  AdminParticipant,
  ClientParticipant,
  ConnectionSecurity,
  Participant,
  Project,
  RelayParticipant,
} from '../project/types.js'
import type { KitTable } from '../targets/kit-table.js'

/**
 * The JSON configs of each kit kind, with NVFlare's keys, nesting and values (NVFLARE-FORMATS.md §2), for
 * the NVFlare version whose KitTable is given.
 */

export interface StaticArgs {
  configFolder: string
  scheme: string
  downloadJobUrl: string
}

/** 2.7's `overseer_agent`: the address a participant dials, as `host:fed_learn_port:admin_port`. */
function overseerAgent(table: KitTable, host: string, port: number, adminPort: number): object {
  if (!table.overseerAgent) return {}
  return {
    overseer_agent: { path: table.overseerAgent, args: { sp_end_point: `${host}:${port}:${adminPort}` } },
  }
}

export function fedServerJson(project: Project, args: StaticArgs, table: KitTable): object {
  const s = project.server
  return {
    format_version: 2,
    servers: [
      {
        name: project.name,
        service: { target: `${s.name}:${s.fedLearnPort}`, scheme: args.scheme },
        admin_server: s.name,
        admin_port: s.adminPort,
        ssl_private_key: Layout.serverKey,
        ssl_cert: Layout.serverCert,
        ssl_root_cert: Layout.rootCert,
        connection_security: s.connectionSecurity,
      },
    ],
    ...overseerAgent(table, s.name, s.fedLearnPort, s.adminPort),
  }
}

/** Host and port a client or admin dials: `connect_to` when given, else the server's default host. */
export function serverTarget(project: Project, p: Participant, port: number): { host: string; port: number } {
  const ct = p.type === 'client' || p.type === 'relay' ? p.connectTo : undefined
  const direct = ct && (ct.name === undefined || ct.name === project.server.name)
  return {
    host: direct && ct.host ? ct.host : project.server.defaultHost,
    port: direct && ct.port ? ct.port : port,
  }
}

function securityOf(project: Project, p: Participant): ConnectionSecurity {
  const own = p.props['connection_security']
  return typeof own === 'string'
    ? (own.toLowerCase() as ConnectionSecurity)
    : project.server.connectionSecurity
}

export function fedClientJson(
  project: Project,
  client: ClientParticipant,
  args: StaticArgs,
  table: KitTable,
): object {
  const t = serverTarget(project, client, project.server.fedLearnPort)
  const target = table.clientServiceTarget ? { target: `${t.host}:${t.port}` } : {}
  return {
    format_version: 2,
    servers: [
      {
        name: project.name,
        service: { ...target, scheme: args.scheme },
        identity: project.server.name,
      },
    ],
    client: {
      ssl_private_key: Layout.clientKey,
      ssl_cert: Layout.clientCert,
      ssl_root_cert: Layout.rootCert,
      fqsn: clientFqsn(project, client),
      is_leaf: !project.clients.some((c) => c.parent === client.name),
      connection_security: securityOf(project, client),
    },
    ...overseerAgent(table, t.host, t.port, project.server.adminPort),
  }
}

export function fedAdminJson(project: Project, admin: AdminParticipant, args: StaticArgs): object {
  const t = serverTarget(project, admin, project.server.adminPort)
  return {
    format_version: 1,
    admin: {
      project_name: project.name,
      username: admin.name,
      server_identity: project.server.name,
      scheme: args.scheme,
      host: t.host,
      port: t.port,
      connection_security: securityOf(project, admin),
      uid_source: 'user_input',
      with_file_transfer: true,
      upload_dir: Layout.transfer,
      download_dir: Layout.transfer,
      client_key: Layout.clientKey,
      client_cert: Layout.clientCert,
      ca_cert: Layout.rootCert,
    },
  }
}

/** Where a relay or a relayed client connects: its parent relay's listener, or the server. */
function parentLink(
  project: Project,
  parentRelay: RelayParticipant | undefined,
  p: ClientParticipant | RelayParticipant,
  args: StaticArgs,
) {
  const ct = p.connectTo
  const lh = parentRelay?.listeningHost
  const server = project.server
  return {
    scheme: lh?.scheme ?? args.scheme,
    identity: parentRelay?.name ?? server.name,
    address: `${ct?.host ?? lh?.host ?? server.defaultHost}:${ct?.port ?? lh?.port ?? server.fedLearnPort}`,
    fqcn: parentRelay ? relayFqcn(project, parentRelay) : 'server',
    connection_security: ct?.connectionSecurity ?? lh?.connectionSecurity ?? server.connectionSecurity,
  }
}

export function fedRelayJson(project: Project, relay: RelayParticipant, args: StaticArgs): object {
  const parent = project.relays.find((r) => r.name === relay.parent)
  return {
    format_version: 2,
    project_name: project.name,
    identity: relay.name,
    server_identity: project.server.name,
    connect_to: parentLink(project, parent, relay, args),
  }
}

/** `local/relay__resources.json` of a client that connects through a relay. */
export function relayResourcesJson(
  project: Project,
  client: ClientParticipant,
  args: StaticArgs,
): object | undefined {
  const relay = project.relays.find((r) => r.name === client.relay)
  if (!relay) return undefined
  const link = parentLink(project, relay, client, args)
  return {
    format_version: 2,
    relay_config: { ...link, connection_security: link.connection_security ?? 'mtls' },
  }
}

/** `local/comm_config.json`: the internal listener (listening_host) and the backbone generation. */
export function commConfigJson(p: Participant): object | undefined {
  const lh = p.type === 'client' || p.type === 'relay' ? p.listeningHost : undefined
  const relayed = p.type === 'relay' || (p.type === 'client' && p.relay !== undefined)
  if (!lh && !relayed) return undefined
  const resources: Record<string, unknown> = { host: lh?.host ?? 'localhost' }
  if (lh?.port) resources['port'] = lh.port
  resources['connection_security'] = lh?.connectionSecurity ?? 'clear'
  return {
    allow_adhoc_conns: false,
    backbone_conn_gen: relayed ? 1 : 2,
    internal: { scheme: lh?.scheme ?? 'tcp', resources },
  }
}

export function studyRegistryJson(project: Project): object | undefined {
  if (project.studies.length === 0) return undefined
  const studies = Object.fromEntries(
    project.studies.map((s) => [s.name, { site_orgs: s.siteOrgs, admins: s.admins }]),
  )
  return { format_version: '1.0', studies }
}
