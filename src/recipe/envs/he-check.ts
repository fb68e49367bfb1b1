import { join } from 'node:path'
import { describeHeParams, type HeParamsInfo, sameHeParams } from '../../he-builder/describe-params.js'
import { secretKeyDigest, serverKeysFitClient } from '../../he-builder/kit-context.js'
import { decodeTensealContext } from '../../he-builder/tenseal-codec.js'
import { ReadLimit, readFileBounded } from '../../provision/fs/read-bounded.js'
import type { VerifiedKit } from './kit-scan.js'

/** A server or client kit with the HE context verifyKit read. */
type HeKit = VerifiedKit & { he: NonNullable<VerifiedKit['report']['he']> }

const heKinds = (kits: VerifiedKit[]) => kits.filter((k) => k.kind.he !== undefined)

/** Every server and client kit must hold its HE context (verifyKit checks each one that does). */
export function missingHe(kits: VerifiedKit[]): string[] {
  return heKinds(kits)
    .filter((k) => k.report.he === undefined && !k.report.checks.some((c) => c.name === 'he'))
    .map((k) => `${k.name}: no ${k.kind.he?.file}; provision the kits with the HE builder`)
}

function withHe(kits: VerifiedKit[]): HeKit[] {
  return heKinds(kits).flatMap((k) => (k.report.he ? [{ ...k, he: k.report.he }] : []))
}

/** The HE parameters every kit shares, or undefined when they differ (or no kit has HE). */
export function commonHeParams(kits: VerifiedKit[]): HeParamsInfo | undefined {
  const [first, ...rest] = withHe(kits)
  return first && rest.every((k) => sameHeParams(k.he.params, first.he.params)) ? first.he.params : undefined
}

const readContext = (kit: HeKit) =>
  new Uint8Array(
    readFileBounded(join(kit.dir, kit.he.file), {
      what: 'HE context',
      maxBytes: ReadLimit.heFile,
      noFollow: true,
    }),
  )

/**
 * Cross-kit: one set of HE parameters, and one HE key: every client holds the same secret key, and the
 * server's context (its relinearization keys) was made from it. Run once each kit's own `he` check passed.
 */
export async function heKeyProblems(kits: VerifiedKit[]): Promise<string[]> {
  const he = withHe(kits)
  if (he.length > 0 && commonHeParams(kits) === undefined) {
    const each = he.map((k) => `${k.name} ${describeHeParams(k.he.params)}`)
    return [`HE parameters differ between kits: ${each.join('; ')}`]
  }
  const clients = he.filter((k) => k.kind.type === 'client')
  const digests = new Set(clients.map((k) => secretKeyDigest(decodeTensealContext(readContext(k)))))
  if (digests.size > 1) {
    return ['the clients hold different HE secret keys, so they cannot decrypt each other’s aggregate']
  }
  const server = he.find((k) => k.kind.type === 'server')
  const [client] = clients
  if (!server || !client) return []
  if ((await serverKeysFitClient(readContext(server), readContext(client))) === false) {
    return [
      `${server.name}: ${server.he.file} was made from another HE key than the clients' (another provisioning run?)`,
    ]
  }
  return []
}
