import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type BuilderFactory, defineBuilder, type TypedBuilder } from '../builder.js'
import { runLimited } from '../interrupt.js'
import { KIT_KINDS } from '../kit-kinds.js'
import { ContentSigner, loadSigningKey, signFolder } from '../pki/signing.js'

/** Folders signed at a time: enough to keep libuv's thread pool busy, few enough to stay far from EMFILE. */
const CONCURRENT_FOLDERS = 8

/**
 * Writes `signature.json` into `startup/` and `local/` of every kit, signed by the root CA key. Runs after
 * every builder that writes kit files (phase 80).
 */
export function createSignatureBuilder(): TypedBuilder<'kit-folders' | 'pki', 'signatures'> {
  return {
    name: 'signature',
    async build(ctx) {
      const signer = new ContentSigner(loadSigningKey(ctx.pki.root.keyPem))
      const folders = ctx.project.participants
        .flatMap((p) => KIT_KINDS[p.type].signedFolders.map((sub) => join(ctx.kitDir(p), sub)))
        .filter((dir) => existsSync(dir))
      await runLimited(folders, CONCURRENT_FOLDERS, ctx.signal, async (dir) => {
        const files = await signFolder(dir, signer, (path, entry) => ctx.takeWritten(path, entry))
        ctx.emit({ type: 'signed', dir, files })
      })
    },
  }
}

export const signatureBuilderFactory: BuilderFactory = defineBuilder({
  id: 'signature',
  nvflarePaths: ['nvflare.lighter.impl.signature.SignatureBuilder'],
  phase: 80,
  description: 'signature.json (RSA-PSS by the root CA) in startup/ and local/ of every kit',
  requires: ['kit-folders', 'pki'],
  provides: ['signatures'],
  create: () => createSignatureBuilder(),
})
