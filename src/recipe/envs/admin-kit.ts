import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import forge from 'node-forge'
import { ProvisionError, type ProvisionErrorCode } from '../../errors.js'
import { ReadLimit, readTextBounded } from '../../provision/fs/read-bounded.js'
import { resolveInside } from '../../provision/fs/safe-path.js'
import { Layout } from '../../provision/layout.js'

/** The admin kit a job is submitted from. */
export interface AdminKit {
  dir: string
  username: string
  /** `transfer/` (fed_admin.json `upload_dir`), absolute. */
  uploadDir: string
  rootPem: string
  /** SHA-256 fingerprint of the root CA: two kits share a root when these are equal. */
  rootFingerprint: string
  /** The root CA's public key, imported once for every signature check. */
  rootKey: KeyObject
}

const kitError = (code: ProvisionErrorCode, message: string, hint: string) =>
  new ProvisionError(code, message, { hint })

interface FedAdminJson {
  admin?: { username?: unknown; client_cert?: unknown; ca_cert?: unknown; upload_dir?: unknown }
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback
}

const readKitText = (path: string) =>
  readTextBounded(path, { what: 'admin kit file', maxBytes: ReadLimit.kitFile, noFollow: true })

/**
 * Reads an admin startup kit: `startup/fed_admin.json`, its certificate (CN must equal `username`, issued
 * by the kit's root CA) and `rootCA.pem`. Throws ProvisionError naming what is wrong.
 */
export function readAdminKit(location: string, username: string): AdminKit {
  const dir = resolve(location)
  const startup = join(dir, Layout.startup)
  const fedAdmin = join(startup, Layout.fedAdmin)
  if (!existsSync(fedAdmin)) {
    throw kitError(
      'not-a-kit',
      `${dir} is not an admin startup kit (no ${Layout.startup}/${Layout.fedAdmin})`,
      'point startupKitLocation at the admin’s folder inside prod_NN, e.g. <workspace>/<project>/prod_00/admin@nvidia.com',
    )
  }
  const text = readKitText(fedAdmin)
  let doc: FedAdminJson
  try {
    doc = JSON.parse(text) as FedAdminJson
  } catch (error) {
    throw new ProvisionError('admin-kit-invalid', `${fedAdmin} is not valid JSON`, { cause: error })
  }
  const admin = doc.admin ?? {}
  if (admin.username !== undefined && admin.username !== username) {
    throw kitError(
      'admin-kit-user',
      `${fedAdmin} is for user "${String(admin.username)}", not "${username}"`,
      'pass the username the kit was provisioned for, or the kit of that user',
    )
  }
  const rootPem = readKitText(resolveInside(startup, str(admin.ca_cert, Layout.rootCert)))
  const certPem = readKitText(resolveInside(startup, str(admin.client_cert, Layout.clientCert)))
  const root = forge.pki.certificateFromPem(rootPem)
  checkAdminCert(certPem, root, username, startup)
  return {
    dir,
    username,
    uploadDir: resolveInside(dir, str(admin.upload_dir, Layout.transfer)),
    rootPem,
    rootFingerprint: new X509Certificate(rootPem).fingerprint256,
    rootKey: createPublicKey(rootPem),
  }
}

function checkAdminCert(
  certPem: string,
  root: forge.pki.Certificate,
  username: string,
  startup: string,
): void {
  const cert = forge.pki.certificateFromPem(certPem)
  const cn = cert.subject.getField('CN')?.value as string | undefined
  if (cn !== username) {
    throw kitError(
      'admin-kit-cn',
      `the admin certificate in ${startup} is issued to "${cn ?? '(no CN)'}", not "${username}"`,
      'NVFlare accepts an admin only when the certificate CN equals the username',
    )
  }
  let signed = false
  try {
    signed = root.verify(cert)
  } catch {
    signed = false
  }
  if (!signed) {
    throw kitError(
      'admin-kit-chain',
      `the admin certificate in ${startup} is not signed by the kit’s ${Layout.rootCert}`,
      'use an admin kit from the same provisioning run as the other kits',
    )
  }
}
