import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (tests never write here). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url))
/** Real NVFlare and TenSEAL samples (copied from ../shared/reference so that any clean clone has them). */
export const REFERENCE = join(REPO, 'test', 'fixtures', 'reference')
/** The built command (`npm ci` builds it through the prepare script). */
export const BIN = join(REPO, 'bin', 'provision.js')
