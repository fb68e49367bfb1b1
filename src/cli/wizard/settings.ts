import type { HeParams } from '../../he-builder/params.js'
import type { ParticipantEntry, ProjectFile } from '../../provision/project/schema.js'
import type { ConnectionSecurity } from '../../provision/project/types.js'
import { DEFAULT_NVFLARE_VERSION, type NvflareVersion } from '../../provision/targets/version.js'

/** What the wizard gathers, before it becomes a ProjectFile. */
export interface WizardSettings {
  name: string
  description: string
  /** The NVFlare version the kits are for (not part of project.yml: a provision flag). */
  nvflareVersion: NvflareVersion
  server: ServerSettings
  clients: { name: string; org: string }[]
  admins: { name: string; org: string; role: string }[]
  /** Undefined: no HE builder. */
  he: HeParams | undefined
}

export interface ServerSettings {
  name: string
  org: string
  hostNames: string[]
  fedLearnPort: number
  adminPort: number
  connectionSecurity: ConnectionSecurity
}

/** The values of `provision init` flags, as given (strings are checked by the same parsers as answers). */
export interface InitPreset {
  name?: string
  description?: string
  nvflareVersion?: string
  server?: string
  serverOrg?: string
  hostNames?: string
  port?: string
  adminPort?: string
  clients?: string
  clientPattern?: string
  clientNames?: string
  orgs?: string
  admin?: string
  adminOrg?: string
  connectionSecurity?: string
  he?: boolean
  polyModulusDegree?: string
  coeffModBitSizes?: string
  scaleBits?: string
}

/**
 * The default of every question: pressing Enter through the wizard gives a valid project. The server name
 * `localhost` gives kits that work at once when every participant runs on this machine (a first trial);
 * for a real federation the admin types the DNS name the sites dial (the wizard says so).
 */
export const DEFAULTS = {
  name: 'example_project',
  description: 'NVIDIA FLARE federation provisioned by fedforge',
  server: 'localhost',
  serverOrg: 'coordinator',
  port: 8002,
  clients: 2,
  clientPattern: 'site-{n}',
  admin: 'admin@example.com',
  connectionSecurity: 'mtls' as ConnectionSecurity,
  nvflareVersion: DEFAULT_NVFLARE_VERSION,
  /** The most clients one wizard answer makes; edit the file for more. */
  maxClients: 1000,
} as const

const NVFLARE = 'nvflare.lighter.impl'

/** WizardSettings → the YAML shape of project.yml (NVFlare class paths, so `nvflare provision` reads it too). */
export function toProjectFile(s: WizardSettings): ProjectFile {
  const server: ParticipantEntry = {
    name: s.server.name,
    type: 'server',
    org: s.server.org,
    fed_learn_port: s.server.fedLearnPort,
    admin_port: s.server.adminPort,
    ...(s.server.hostNames.length > 0 ? { host_names: s.server.hostNames } : {}),
    connection_security: s.server.connectionSecurity,
  }
  const clients = s.clients.map((c): ParticipantEntry => ({ name: c.name, type: 'client', org: c.org }))
  const admins = s.admins.map(
    (a): ParticipantEntry => ({ name: a.name, type: 'admin', org: a.org, role: a.role }),
  )
  const builders = [
    { path: `${NVFLARE}.workspace.WorkspaceBuilder` },
    { path: `${NVFLARE}.static_file.StaticFileBuilder` },
    { path: `${NVFLARE}.cert.CertBuilder` },
    ...(s.he ? [{ path: `${NVFLARE}.he.HEBuilder`, args: heArgs(s.he) }] : []),
    { path: `${NVFLARE}.signature.SignatureBuilder` },
  ]
  return {
    api_version: 3,
    name: s.name,
    description: s.description,
    participants: [server, ...clients, ...admins],
    builders,
  }
}

function heArgs(he: HeParams): Record<string, unknown> {
  return {
    poly_modulus_degree: he.polyModulusDegree,
    coeff_mod_bit_sizes: he.coeffModBitSizes,
    scale_bits: he.scaleBits,
    scheme: he.scheme,
  }
}
