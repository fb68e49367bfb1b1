import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Layout, SIGNED_FOLDERS } from './layout.js'
import type { ParticipantType } from './project/types.js'

/** A kit folder that signature.json signs: `startup` or `local`. */
export type SignedFolder = (typeof SIGNED_FOLDERS)[number]

/** The TenSEAL context a kit of this kind holds in startup/ when its project has HE. */
export interface KitHeContext {
  /** `server_context.tenseal` or `client_context.tenseal`. */
  file: string
  /** Whether the context must hold the secret key (clients decrypt; the server only adds). */
  secretKey: boolean
}

/** What a startup kit of one kind holds, by file name (NVFLARE-FORMATS.md §2). */
export interface KitKind {
  type: ParticipantType
  /** `startup/<fedConfig>`: the file that tells a kit's kind, and the config its runtime reads. */
  fedConfig: string
  /** The kit's own certificate and key in startup/ (NVFlare 2.6+: relays and admins use the client names). */
  cert: string
  key: string
  /** A listener certificate and key a kit of this kind may hold besides its own (`listening_host`). */
  listener: { cert: string; key: string } | undefined
  /** The folders signature.json signs. */
  signedFolders: readonly SignedFolder[]
  /** The HE context of an HE project, or undefined for kinds that never hold one. */
  he: KitHeContext | undefined
}

const CLIENT_FILES = { cert: Layout.clientCert, key: Layout.clientKey } as const
/** A listener certificate (`listening_host`) is a server certificate, named as the server's. */
export const LISTENER_CERT_FILES = { cert: Layout.serverCert, key: Layout.serverKey } as const

/** Every kit kind: the one table that verify, the recipe, target detection and the builders read. */
export const KIT_KINDS: Readonly<Record<ParticipantType, KitKind>> = {
  server: {
    type: 'server',
    fedConfig: Layout.fedServer,
    cert: Layout.serverCert,
    key: Layout.serverKey,
    listener: undefined,
    signedFolders: SIGNED_FOLDERS,
    he: { file: Layout.serverContext, secretKey: false },
  },
  client: {
    type: 'client',
    fedConfig: Layout.fedClient,
    ...CLIENT_FILES,
    listener: LISTENER_CERT_FILES,
    signedFolders: SIGNED_FOLDERS,
    he: { file: Layout.clientContext, secretKey: true },
  },
  admin: {
    type: 'admin',
    fedConfig: Layout.fedAdmin,
    ...CLIENT_FILES,
    listener: undefined,
    signedFolders: SIGNED_FOLDERS,
    he: undefined,
  },
  relay: {
    type: 'relay',
    fedConfig: Layout.fedRelay,
    ...CLIENT_FILES,
    listener: LISTENER_CERT_FILES,
    signedFolders: SIGNED_FOLDERS,
    he: undefined,
  },
}

/** The order kinds are looked for in a kit (a kit holds one fed_*.json; this settles one that holds more). */
const DETECTION_ORDER: readonly ParticipantType[] = ['server', 'client', 'admin', 'relay']

/** The kind of the kit in `kitDir`, told by its `startup/fed_*.json`; undefined when it has none. */
export function kitKindOf(kitDir: string): KitKind | undefined {
  return DETECTION_ORDER.map((type) => KIT_KINDS[type]).find((kind) =>
    existsSync(join(kitDir, Layout.startup, kind.fedConfig)),
  )
}
