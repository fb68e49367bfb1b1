import { join, resolve } from 'node:path'
import { ProvisionError, type ProvisionErrorCode } from '../../errors.js'
import { resolveInside } from '../../provision/fs/safe-path.js'
import { KIT_KINDS, kitKindOf } from '../../provision/kit-kinds.js'
import { Layout } from '../../provision/layout.js'
import { readKitText } from '../../provision/verify/kit-files.js'

/** The admin kit a job is submitted from. Its checks (certificate, signatures, …) are verifyKit's. */
export interface AdminKit {
  dir: string
  username: string
  /** `transfer/` (fed_admin.json `upload_dir`), absolute. */
  uploadDir: string
}

const kitError = (code: ProvisionErrorCode, message: string, hint: string) =>
  new ProvisionError(code, message, { hint })

interface FedAdminJson {
  admin?: { username?: unknown; upload_dir?: unknown }
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback
}

/**
 * Reads an admin startup kit for `username`: it must be an admin kit (`startup/fed_admin.json`) of that
 * user. Throws ProvisionError naming what is wrong. That its certificate is the user's (CN = username,
 * issued by its root CA) is verifyKit's identity and chain check.
 */
export function readAdminKit(location: string, username: string): AdminKit {
  const dir = resolve(location)
  const fedAdmin = join(dir, Layout.startup, KIT_KINDS.admin.fedConfig)
  if (kitKindOf(dir)?.type !== 'admin') {
    throw kitError(
      'not-a-kit',
      `${dir} is not an admin startup kit (no ${Layout.startup}/${KIT_KINDS.admin.fedConfig})`,
      'point startupKitLocation at the admin’s folder inside prod_NN, e.g. <workspace>/<project>/prod_00/admin@nvidia.com',
    )
  }
  const text = readKitText(fedAdmin, 'admin kit file')
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
  return { dir, username, uploadDir: resolveInside(dir, str(admin.upload_dir, Layout.transfer)) }
}
