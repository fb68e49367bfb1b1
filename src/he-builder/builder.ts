import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ExitCode, ProvisionError } from '../errors.js'
import type { TypedBuilder } from '../provision/builder.js'
import type { ProvisionContext } from '../provision/context.js'
import { ReadLimit, readFileBounded } from '../provision/fs/read-bounded.js'
import { FileMode, Layout } from '../provision/layout.js'
import type { Participant } from '../provision/project/types.js'
import { describeHeParams, sameHeParams } from './describe-params.js'
import { HeContext, heParamsOf } from './he-context.js'
import { makeHeKeyFiles } from './key-material.js'
import { type HeParams, parseHeArgs } from './params.js'

/** The HE key kept from earlier runs: the client context file (parameters + secret key) in state/. */
interface KeptKey {
  bytes: Uint8Array
  params: HeParams
}

async function readKeptKey(ctx: ProvisionContext): Promise<KeptKey | undefined> {
  const path = join(ctx.stateDir, Layout.heStateFile)
  if (!existsSync(path)) return undefined
  const bytes = new Uint8Array(
    readFileBounded(path, { what: 'HE key', maxBytes: ReadLimit.heFile, noFollow: true }),
  )
  let he: HeContext | undefined
  try {
    he = await HeContext.fromBytes(bytes)
    if (!he.secretKey) throw new Error('the file holds no secret key')
    return { bytes, params: heParamsOf(he) }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ProvisionError('he-state', `the HE key in ${path} cannot be read: ${reason}`, {
      cause: error,
      exitCode: ExitCode.conflict,
      hint: 'restore the file from a backup, or move it away to make a new HE key (kits made before will not work with the new one)',
    })
  } finally {
    he?.delete()
  }
}

/** Decides whether the kept key can be used with `params`; returns it, or undefined for a new key. */
function keyToUse(ctx: ProvisionContext, kept: KeptKey | undefined, params: HeParams): KeptKey | undefined {
  if (!kept || sameHeParams(kept.params, params)) return kept
  if (ctx.options.rotateHeKey) {
    ctx.emit({
      type: 'warning',
      message: `HE parameters change from ${describeHeParams(kept.params)} to ${describeHeParams(params)}: a new HE key is made; kits made before cannot work with the new ones`,
    })
    return undefined
  }
  throw new ProvisionError(
    'he-params-changed',
    `the HE parameters changed from ${describeHeParams(kept.params)} to ${describeHeParams(params)}, but this workspace has an HE key made for the old ones`,
    {
      exitCode: ExitCode.conflict,
      hint: 'give --rotate-he-key to make a new HE key (every kit must then be redistributed), or restore the old parameters',
    },
  )
}

function startupFile(ctx: ProvisionContext, participant: Participant, fileName: string): string {
  return join(relative(ctx.wipDir, ctx.kitDir(participant)), Layout.startup, fileName)
}

/**
 * NVFlare's HEBuilder: `server_context.tenseal` (parameters + relinearization keys, no secret key) in the
 * server kit, `client_context.tenseal` (parameters + secret key) in every client kit; nothing for admins
 * and relays. The secret key is kept in state/ and reused, so clients added later work with the others.
 */
export function createHeBuilder(args: Readonly<Record<string, unknown>>): TypedBuilder<'kit-folders', 'he'> {
  const params = parseHeArgs(args)
  let files: Awaited<ReturnType<typeof makeHeKeyFiles>> | undefined
  return {
    name: 'he',
    // The contexts are made here, not in build(): initialize runs while the cert builder's key workers
    // are busy, so the HE work overlaps key generation instead of following it.
    async initialize(ctx) {
      const kept: KeptKey | undefined = keyToUse(ctx, await readKeptKey(ctx), params)
      files = await makeHeKeyFiles(params, kept ? { existingClient: kept.bytes } : {})
    },
    build(ctx) {
      if (!files) throw new Error('he builder: build() before initialize()')
      const server = ctx.project.server
      ctx.writeFile(startupFile(ctx, server, Layout.serverContext), files.server, FileMode.file)
      ctx.emit({
        type: 'he-context',
        file: `${server.name}/${Layout.startup}/${Layout.serverContext}`,
        secretKey: false,
      })
      for (const client of ctx.project.clients) {
        ctx.writeFile(startupFile(ctx, client, Layout.clientContext), files.client, FileMode.secret)
        ctx.emit({
          type: 'he-context',
          file: `${client.name}/${Layout.startup}/${Layout.clientContext}`,
          secretKey: true,
        })
      }
      ctx.stageState(Layout.heStateFile, files.client)
      ctx.provide('he', {
        ...params,
        coeffModBitSizes: [...params.coeffModBitSizes],
        reusedKey: files.reusedKey,
      })
    },
  }
}
