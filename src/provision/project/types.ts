/** The normalized project that the provisioner and builders use (defaults applied, rules checked). */

export type ParticipantType = 'server' | 'client' | 'admin' | 'relay'
/** How a participant connects: NVFlare's `connection_security` values. */
export type ConnectionSecurity = 'clear' | 'tls' | 'mtls'

/** A position in the project file, 1-based. */
export interface SourcePos {
  line: number
  col: number
}

/** Where a participant listens for connections from children (clients or relays under it). */
export interface ListeningHost {
  /** The host name the listener's certificate is issued for (CN and first SAN). */
  host: string
  /** Extra DNS names or IP addresses put in the listener certificate's SAN. */
  hostNames: string[]
  port: number | undefined
  scheme: string
  connectionSecurity: ConnectionSecurity | undefined
}

/** Where a client or relay connects to, when it is not the server's default address. */
export interface ConnectTo {
  /** The participant (server or relay) it connects to, if named. */
  name: string | undefined
  host: string | undefined
  port: number | undefined
  connectionSecurity: ConnectionSecurity | undefined
}

interface ParticipantBase {
  name: string
  org: string
  /** Every property of the entry other than name, type and org, as written. */
  props: Readonly<Record<string, unknown>>
}

/** The server of the project (exactly one). */
export interface ServerParticipant extends ParticipantBase {
  type: 'server'
  fedLearnPort: number
  adminPort: number
  /** The host name clients dial (default: the server name). */
  defaultHost: string
  /** Extra host names and IP addresses for the server certificate's SAN. */
  hostNames: string[]
  connectionSecurity: ConnectionSecurity
}

/** A client site. */
export interface ClientParticipant extends ParticipantBase {
  type: 'client'
  numOfGpus: number
  memPerGpuInGiB: number
  listeningHost: ListeningHost | undefined
  connectTo: ConnectTo | undefined
  /** The parent client in a client hierarchy (`parent`); undefined under the server. */
  parent: string | undefined
  /** The relay this client connects through (`connect_to.name`), if any. */
  relay: string | undefined
  allowLogStreaming: boolean | undefined
}

/** An admin user (an email address and a role). */
export interface AdminParticipant extends ParticipantBase {
  type: 'admin'
  role: string
}

/** A relay between the server and some clients. */
export interface RelayParticipant extends ParticipantBase {
  type: 'relay'
  listeningHost: ListeningHost | undefined
  connectTo: ConnectTo | undefined
  /** The relay this relay connects to (`connect_to.name`); undefined when it connects to the server. */
  parent: string | undefined
}

/** Any participant; `type` tells which. */
export type Participant = ServerParticipant | ClientParticipant | AdminParticipant | RelayParticipant

/** One entry of the project's `builders` list, resolved to a registered builder. */
export interface BuilderSpec {
  /** The registry name this entry resolved to (e.g. `cert`). */
  id: string
  /** The path as written in project.yml (an NVFlare class path or one of our short names). */
  path: string
  args: Readonly<Record<string, unknown>>
  /** Where its args are in the project file (`builders[3].args (project.yml:40:5)`), for messages. */
  where?: string
}

/** A study (api_version 4): its sites by org, and its admins. */
export interface Study {
  name: string
  siteOrgs: Record<string, string[]>
  admins: string[]
}

/** A validated project with defaults applied (what `loadProject` returns and `provision` takes). */
export interface Project {
  apiVersion: 3 | 4
  name: string
  description: string
  /** All participants in file order. */
  participants: Participant[]
  server: ServerParticipant
  clients: ClientParticipant[]
  admins: AdminParticipant[]
  relays: RelayParticipant[]
  builders: BuilderSpec[]
  studies: Study[]
  /** Non-fatal notes from loading (ignored overseer entries, unusual admin roles). */
  warnings: string[]
}
