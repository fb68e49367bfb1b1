import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Layout } from '../layout.js'
import { type Check, fail, ok } from './types.js'

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/
const MAX_SCAN_BYTES = 16 * 1024 * 1024

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const st = lstatSync(path)
    if (st.isDirectory()) yield* walk(path)
    else if (st.isFile() && st.size <= MAX_SCAN_BYTES) yield path
  }
}

/**
 * A server or admin kit must hold no secret but its own key: no other private key, no HE secret key
 * (`client_context.tenseal`). Client kits are not checked (they hold the HE secret key by design).
 */
export function secretsCheck(kitDir: string, ownKey: string): Check {
  const own = join(Layout.startup, ownKey)
  const found: string[] = []
  for (const path of walk(kitDir)) {
    const rel = relative(kitDir, path)
    if (rel.endsWith(Layout.clientContext)) found.push(`${rel} (HE secret key)`)
    else if (rel !== own && PRIVATE_KEY.test(readFileSync(path, 'latin1'))) found.push(`${rel} (private key)`)
  }
  return found.length > 0
    ? fail('secrets', `secret material that does not belong here: ${found.join(', ')}`)
    : ok('secrets', `no secret material besides ${own}`)
}
