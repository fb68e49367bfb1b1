import { Layout, SIGNED_FOLDERS } from '../layout.js'
import { ContentSigner, loadSigningKey } from '../pki/signing.js'
import type { KitFile } from './approval.js'
import { signSha256Digest } from './digest-signature.js'

/** A file of the kit that the admin signs without holding it: the site's private key, by its SHA-256. */
export interface DigestOnlyFile {
  path: string
  sha256: string
}

/**
 * The signature.json entries of every signed folder of a kit, exactly as the signature builder would
 * write them over the assembled kit: one RSA-PSS signature by the root CA per file directly in startup/
 * and local/, by name. `contents` are the files the admin holds (plain or to be sealed); the private
 * key is signed from its digest (digest-signature.ts). signature.json itself is never an entry.
 */
export async function kitSignatures(
  rootKeyPem: string,
  contents: { path: string; data: Uint8Array }[],
  digestOnly: DigestOnlyFile[],
): Promise<Record<string, Record<string, string>>> {
  const key = loadSigningKey(rootKeyPem)
  const signer = new ContentSigner(key)
  const out: Record<string, Record<string, string>> = {}
  for (const folder of SIGNED_FOLDERS) {
    const inFolder = (path: string) =>
      path.startsWith(`${folder}/`) && path !== `${folder}/${Layout.signature}`
    const pending = new Map<string, Promise<string> | string>()
    for (const f of contents.filter((c) => inFolder(c.path))) pending.set(name(f.path), signer.sign(f.data))
    for (const d of digestOnly.filter((c) => inFolder(c.path))) {
      pending.set(name(d.path), signSha256Digest(key, Buffer.from(d.sha256, 'hex')))
    }
    const doc: Record<string, string> = {}
    for (const n of [...pending.keys()].sort()) doc[n] = await pending.get(n)!
    out[folder] = doc
  }
  return out
}

function name(path: string): string {
  return path.slice(path.indexOf('/') + 1)
}

/** A kit file (relative path) with its content, for the approval. */
export function kitFile(path: string, data: string | Uint8Array, mode: number): KitFile {
  return { path, mode, data: Buffer.from(data) }
}
