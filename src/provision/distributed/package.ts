import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { kitFolderMode, kitFolders } from '../builders/workspace.js'
import { fsyncDir } from '../fs/atomic.js'
import { fsError } from '../fs/fs-error.js'
import { resolveInside } from '../fs/safe-path.js'
import { writeFileWhole } from '../fs/write-whole.js'
import { FileMode } from '../layout.js'
import type { NvflareVersion } from '../targets/version.js'
import type { KitReport } from '../verify/types.js'
import { verifyKit } from '../verify/verify-kit.js'
import { normalizeFingerprint } from './format.js'
import { type CheckedApproval, checkApproval } from './package-checks.js'
import type { ParticipantFields } from './participant.js'

/** Options of `packageKit` (site side): the approval, the request folder, the root fingerprint. */
export interface PackageOptions {
  approvalFile: string
  /** The folder `provision request` wrote (the private key and the request file). */
  requestDir: string
  /** The root CA fingerprint the admin gave out of band (`SHA256:AA:…`, or 64 hex digits). */
  rootFingerprint: string
  /** The kit folder to make (default `./<name>`); it must not exist and must be named after the participant. */
  output?: string
  now?: () => Date
}

/** What `packageKit` made: the verified kit folder and whom it is for. */
export interface PackageResult {
  kitDir: string
  fields: ParticipantFields
  project: string
  nvflareVersion: NvflareVersion
  rootFingerprint: string
  /** `provision verify` on the new kit (every check passed, or nothing was written). */
  report: KitReport
}

function kitTarget(output: string | undefined, name: string): string {
  const kitDir = resolve(output ?? name)
  if (basename(kitDir) !== name) {
    throw new ProvisionError(
      'distributed-kit-name',
      `the kit folder must be named "${name}" (as in the central layout), not "${basename(kitDir)}"`,
      {
        hint: `give -o ${join(dirname(kitDir), name)}`,
      },
    )
  }
  if (existsSync(kitDir)) {
    throw new ProvisionError('file-exists', `${kitDir} already exists; nothing was written`, {
      hint: 'move the old kit away, or choose another folder with -o',
    })
  }
  return kitDir
}

function writeExact(path: string, data: Uint8Array, mode: number): void {
  try {
    writeFileWhole(path, data, mode, { exclusive: true })
  } catch (error) {
    throw fsError(error, path, 'write')
  }
}

/** The kit's folders (with the central flow's modes) and every file with its exact mode. */
function writeKit(dir: string, checked: CheckedApproval): void {
  mkdirSync(dir, { mode: FileMode.dir })
  for (const folder of kitFolders(checked.approval.fields))
    mkdirSync(join(dir, folder), { mode: kitFolderMode(folder) })
  for (const f of checked.files) writeExact(resolveInside(dir, f.path), f.data, f.mode)
}

/**
 * At the site: checks the approval against this site's key and the root fingerprint, opens the sealed
 * HE context, and assembles the kit exactly as the central flow lays it out (private key included),
 * then runs verify on it. The kit is built beside its final place and renamed there only when verify
 * passes; on any failure nothing is left behind.
 */
export async function packageKit(options: PackageOptions): Promise<PackageResult> {
  const fingerprint = normalizeFingerprint(options.rootFingerprint)
  if (!fingerprint) {
    throw new ProvisionError(
      'bad-option',
      `--root-fingerprint "${options.rootFingerprint}" is not a SHA-256 fingerprint`,
      {
        hint: 'give the fingerprint approve printed, e.g. SHA256:AB:CD:… (32 pairs of hex digits)',
      },
    )
  }
  const checked = checkApproval(resolve(options.approvalFile), resolve(options.requestDir), fingerprint)
  const { fields } = checked.approval
  const kitDir = kitTarget(options.output, fields.name)
  const made = makeParents(dirname(kitDir))
  const staging = join(dirname(kitDir), `.${fields.name}.${randomBytes(4).toString('hex')}.partial`)
  let done = false
  try {
    mkdirSync(staging, { mode: FileMode.secretDir })
    const built = join(staging, fields.name)
    writeKit(built, checked)
    const report = await verifyKit(built, {
      rootPem: checked.approval.rootCaPem,
      now: options.now?.(),
      nvflareVersion: checked.approval.nvflareVersion,
    })
    if (!report.ok) {
      throw new ProvisionError(
        'distributed-verify-failed',
        `the assembled kit of ${fields.name} does not pass verify; nothing was written`,
        {
          problems: report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.message}`),
          exitCode: ExitCode.badInput,
        },
      )
    }
    renameSync(built, kitDir)
    fsyncDir(dirname(kitDir))
    done = true
    const { approval } = checked
    return {
      kitDir,
      fields,
      project: approval.project,
      nvflareVersion: approval.nvflareVersion,
      rootFingerprint: fingerprint,
      report: { ...report, dir: kitDir },
    }
  } finally {
    rmSync(staging, { recursive: true, force: true })
    if (!done) for (const dir of made.reverse()) removeIfEmpty(dir)
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // not empty (someone else wrote there) or gone: leave it
  }
}

/** mkdir -p of the kit's parent folder, returning the folders it made (removed again on failure). */
function makeParents(dir: string): string[] {
  const missing: string[] = []
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d)
  try {
    for (const d of missing) mkdirSync(d, { mode: FileMode.dir })
  } catch (cause) {
    throw new ProvisionError('output-unwritable', `cannot create the folder ${dir} for the kit`, {
      cause,
      hint: 'choose another folder with -o KIT, or check its permissions',
    })
  }
  return missing
}
