import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (tests never write here). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url))
/** `../shared/reference` beside the checkout: real NVFlare and TenSEAL samples. */
export const REFERENCE = join(REPO, '..', 'shared', 'reference')
/** The built command (`npm ci` builds it through the prepare script). */
export const BIN = join(REPO, 'bin', 'provision.js')
