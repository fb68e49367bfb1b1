import { basename, relative } from 'node:path'
import { Layout } from '../layout.js'
import type { ParticipantType } from '../project/types.js'
import { type SecretKind, scanForSecrets } from './secret-scan.js'
import { type Check, fail, ok } from './types.js'

/** Names of files that hold the HE secret key: flagged out of place even when their content is not one. */
const HE_SECRET_NAMES = new Set<string>([Layout.clientContext, Layout.heStateFile])

const at = (file: string) => `${Layout.startup}/${file}`

/**
 * The only secrets a kit may hold, by file: its own key; a client's or relay's listener key
 * (`startup/server.key`); a client's HE context with the secret key. Everything else is a leak.
 */
function allowedSecrets(type: ParticipantType, ownKey: string): Map<string, SecretKind> {
  const allowed = new Map<string, SecretKind>([[at(ownKey), 'PEM private key']])
  if (type === 'client' || type === 'relay') allowed.set(at(Layout.serverKey), 'PEM private key')
  if (type === 'client') allowed.set(at(Layout.clientContext), 'HE secret key')
  return allowed
}

/**
 * Scans every regular file of a kit (`files`, from listKitTree) by content, whatever its name or size:
 * no private key (PEM or DER) and no HE secret key (a TenSEAL context with its secret key, such as the
 * state's HE key) may be where it does not belong.
 */
export function secretsCheck(kitDir: string, type: ParticipantType, ownKey: string, files: string[]): Check {
  const allowed = allowedSecrets(type, ownKey)
  const found: string[] = []
  for (const path of files) {
    const rel = relative(kitDir, path)
    const kinds: string[] = [...scanForSecrets(path)].filter((kind) => allowed.get(rel) !== kind)
    if (kinds.length === 0 && HE_SECRET_NAMES.has(basename(path)) && !allowed.has(rel))
      kinds.push('named like an HE secret key file')
    for (const kind of kinds) found.push(`${rel} (${kind})`)
  }
  const own = [...allowed.keys()].filter((f) => files.some((p) => relative(kitDir, p) === f))
  return found.length > 0
    ? fail('secrets', `secret material that does not belong here: ${found.join(', ')}`)
    : ok('secrets', `no secret material besides ${own.join(', ') || 'none'}`)
}
