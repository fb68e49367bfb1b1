import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { writeFileAtomic } from '../fs/atomic.js'
import { resolveInside } from '../fs/safe-path.js'
import { FileMode, Layout } from '../layout.js'
import { acquireLock } from '../lock.js'
import { parseCertInfo } from '../pki/cert-info.js'
import { createIssuer, issueLeafCert } from '../pki/certs.js'
import { kitCertFiles, leafSpecFor } from '../pki/participant-certs.js'
import { loadSigningKey } from '../pki/signing.js'
import { type CertState, serializeCertState } from '../pki/state-store.js'
import { checkProjectForTarget } from '../targets/check-project.js'
import { readStoredTarget, resolveTarget } from '../targets/state-target.js'
import type { NvflareVersion } from '../targets/version.js'
import { type Approval, serializeApproval } from './approval.js'
import { type Checked, checkRequest, readState, refuseCollision } from './approve-checks.js'
import { sealTo } from './envelope.js'
import { certFingerprint } from './format.js'
import { readClientContext, usesHe } from './he-key.js'
import { removeWritten, writeNewFile } from './io.js'
import { staticKitFiles } from './kit-build.js'
import { kitFile, kitSignatures } from './kit-signatures.js'
import type { ParticipantFields } from './participant.js'
import { withDistributedRecord } from './state.js'

export const approvalFileName = (name: string) => `${name}.approval.json`

/** Options of `approveRequest` (admin side): the request, the project, the workspace, the output. */
export interface ApproveOptions {
  requestFile: string
  projectFile: string
  /** The folder that holds `<project>/state` (default `workspace`, as `provision -w`). */
  workspace?: string
  /** Where the approval goes (default: `<name>.approval.json` beside the request). Never overwritten. */
  output?: string
  /**
   * The NVFlare version the kit is written for. Default: the workspace's target (state/target.json, kept
   * by the central runs), else the default target. Giving another one does not change the workspace's.
   */
  nvflareVersion?: NvflareVersion
  /** Asked once every check passed and before anything is written; false stops with nothing written. */
  confirm?: (preview: ApprovalPreview) => boolean | Promise<boolean>
  now?: () => Date
}

/** What the admin confirms: compare `requestSha256` with the one the site printed. */
export interface ApprovalPreview {
  project: string
  fields: ParticipantFields
  requestSha256: string
  rootFingerprint: string
  /** True when the approval will carry the sealed HE client context. */
  sealedHeContext: boolean
  /** The NVFlare version the kit is written for. */
  nvflareVersion: NvflareVersion
}

/** What `approveRequest` wrote: the approval file and the certificate it issued. */
export interface ApproveResult extends ApprovalPreview {
  approvalFile: string
  certSerial: string
  certNotAfter: string
}

/** Issues the certificate and makes every file of the approval, in memory. */
async function buildApproval(
  c: Checked,
  state: CertState,
  heContext: Uint8Array | undefined,
  version: NvflareVersion,
  now: () => Date,
): Promise<Approval> {
  const { participant: p, request, csr, project } = c
  // The leaf profile takes the subject's key as PEM and uses only its public half: the CSR's key here.
  const certPem = issueLeafCert(leafSpecFor(p, csr.publicKeyPem), createIssuer(state.root), { now: now() })
  const names = kitCertFiles(p)
  const files = staticKitFiles(project, version, p, now).sort((a, b) => (a.path < b.path ? -1 : 1))
  // The certificate and rootCA.pem travel as fields of their own; they are signed as kit files.
  const pems = [
    kitFile(`${Layout.startup}/${names.cert}`, certPem, FileMode.file),
    kitFile(`${Layout.startup}/${Layout.rootCert}`, state.root.certPem, FileMode.file),
  ]
  const secret =
    heContext && p.type === 'client'
      ? [kitFile(`${Layout.startup}/${Layout.clientContext}`, heContext, FileMode.secret)]
      : []
  const signs = project.builders.some((b) => b.id === 'signature')
  const keyEntry = { path: `${Layout.startup}/${names.key}`, sha256: request.keySha256 }
  const binding = { siteName: p.name, requestSha256: request.sha256 }
  return {
    project: project.name,
    nvflareVersion: version,
    fields: request.fields,
    requestSha256: request.sha256,
    approved: now().toISOString(),
    rootFingerprint: certFingerprint(state.root.certPem),
    certPem,
    rootCaPem: state.root.certPem,
    files,
    sealed: secret.map((s) => ({
      path: s.path,
      mode: s.mode,
      envelope: sealTo(csr.publicKey, s.data, binding),
    })),
    signatures: signs
      ? await kitSignatures(state.root.keyPem, [...files, ...pems, ...secret], [keyEntry])
      : {},
  }
}

/** Writes the approval (never over a file), then records the participant in state/ (atomically). */
async function commit(
  output: string,
  approval: Approval,
  state: CertState,
  stateFile: string,
): Promise<void> {
  writeNewFile(output, await serializeApproval(approval, loadSigningKey(state.root.keyPem)), FileMode.file)
  try {
    const record = {
      fields: approval.fields,
      certPem: approval.certPem,
      requestSha256: approval.requestSha256,
      approved: approval.approved,
    }
    writeFileAtomic(stateFile, serializeCertState(withDistributedRecord(state, record)), FileMode.secret)
  } catch (error) {
    removeWritten(output)
    throw error
  }
}

interface Plan {
  state: CertState
  heContext: Uint8Array | undefined
  preview: ApprovalPreview
}

/** Under the lock: the state (again), no collision, the HE key, the target; what the admin confirms. */
async function planApproval(
  c: Checked,
  projectDir: string,
  requested: NvflareVersion | undefined,
): Promise<Plan> {
  const { state, file } = readState(projectDir, c.project)
  refuseCollision(state, c.request.fields.name, file)
  const stateDir = join(projectDir, Layout.stateDir)
  const he = usesHe(c.project) && c.request.fields.type === 'client'
  const heContext = he ? await readClientContext(c.project, stateDir) : undefined
  const nvflareVersion = resolveTarget(requested, readStoredTarget(stateDir)).version
  checkProjectForTarget(c.project, nvflareVersion)
  const preview: ApprovalPreview = {
    project: c.project.name,
    fields: c.request.fields,
    requestSha256: c.request.sha256,
    rootFingerprint: certFingerprint(state.root.certPem),
    sealedHeContext: he,
    nvflareVersion,
  }
  return { state, heContext, preview }
}

function outputPath(output: string | undefined, requestFile: string, name: string): string {
  const path = resolve(output ?? join(dirname(requestFile), approvalFileName(name)))
  if (existsSync(path)) {
    throw new ProvisionError('file-exists', `${path} already exists; nothing was written`, {
      hint: 'choose another file with -o FILE, or move the old approval away',
    })
  }
  return path
}

/**
 * At the admin: checks a site's request against project.yml and the workspace, issues its certificate,
 * and writes the approval file (kit configs for the target version, signatures, the sealed HE client
 * context). Nothing is written when any check fails or `confirm` says no.
 */
export async function approveRequest(options: ApproveOptions): Promise<ApproveResult> {
  const now = options.now ?? (() => new Date())
  const requestFile = resolve(options.requestFile)
  const checked = checkRequest(requestFile, resolve(options.projectFile))
  const output = outputPath(options.output, requestFile, checked.request.fields.name)
  const projectDir = resolveInside(resolve(options.workspace ?? 'workspace'), checked.project.name)
  const { file: stateFile } = readState(projectDir, checked.project)
  const release = acquireLock(join(projectDir, Layout.lockFile), now())
  try {
    const { state, heContext, preview } = await planApproval(checked, projectDir, options.nvflareVersion)
    if (options.confirm && !(await options.confirm(preview))) {
      throw new ProvisionError(
        'not-approved',
        `${preview.fields.name} was not approved; nothing was written`,
        {
          exitCode: ExitCode.failed,
        },
      )
    }
    const approval = await buildApproval(checked, state, heContext, preview.nvflareVersion, now)
    await commit(output, approval, state, stateFile)
    const info = parseCertInfo(approval.certPem)
    return {
      ...preview,
      approvalFile: output,
      certSerial: info.serialHex,
      certNotAfter: info.notAfter.toISOString(),
    }
  } finally {
    release()
  }
}
