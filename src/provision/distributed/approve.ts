import { existsSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { writeFileAtomic } from '../fs/atomic.js'
import { resolveInside } from '../fs/safe-path.js'
import { FileMode, Layout } from '../layout.js'
import { acquireLock } from '../lock.js'
import { parseCertInfo } from '../pki/cert-info.js'
import { createIssuer, issueLeafCert } from '../pki/certs.js'
import { kitCertFiles, leafSpecFor } from '../pki/participant-certs.js'
import { loadSigningKey } from '../pki/signing.js'
import { type CertState, parseCertState, serializeCertState } from '../pki/state-store.js'
import { loadProject } from '../project/load.js'
import { MAX_FILE_BYTES } from '../project/parse-yaml.js'
import type { Participant, Project } from '../project/types.js'
import { DEFAULT_NVFLARE_VERSION, type NvflareVersion } from '../targets/version.js'
import { type Approval, serializeApproval } from './approval.js'
import { type CheckedCsr, checkCsr } from './csr.js'
import { sealTo } from './envelope.js'
import { certFingerprint, MAX_REQUEST_BYTES, readBounded } from './format.js'
import { readClientContext, usesHe } from './he-key.js'
import { removeWritten, writeNewFile } from './io.js'
import { staticKitFiles } from './kit-build.js'
import { kitFile, kitSignatures } from './kit-signatures.js'
import type { ParticipantFields } from './participant.js'
import { parseRequest, type SiteRequest } from './request.js'
import { distributedNames, withDistributedRecord } from './state.js'

export const approvalFileName = (name: string) => `${name}.approval.json`

export interface ApproveOptions {
  requestFile: string
  projectFile: string
  /** The folder that holds `<project>/state` (default `workspace`, as `provision -w`). */
  workspace?: string
  /** Where the approval goes (default: `<name>.approval.json` beside the request). Never overwritten. */
  output?: string
  /** The NVFlare version the kit is written for (default: the default target). */
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
}

export interface ApproveResult extends ApprovalPreview {
  approvalFile: string
  nvflareVersion: NvflareVersion
  certSerial: string
  certNotAfter: string
}

interface Checked {
  request: SiteRequest
  csr: CheckedCsr
  project: Project
  participant: Participant
}

/** The request file, its CSR, and the participant under the project's rules (like `--add-client`). */
function checkRequest(requestFile: string, projectFile: string): Checked {
  const request = parseRequest(readBounded(requestFile, MAX_REQUEST_BYTES, 'request file'), requestFile)
  const csr = checkCsr(request.csrPem, request.fields, requestFile)
  if (request.fields.type === 'server') {
    throw new ProvisionError(
      'distributed-server',
      `${requestFile} asks for a server certificate; the server of a project is provisioned centrally`,
      {
        exitCode: ExitCode.conflict,
        hint: 'approve requests of clients and admins; run provision -p project.yml for the server',
      },
    )
  }
  const text = readBounded(projectFile, MAX_FILE_BYTES, 'project file').toString('utf8')
  const { name, org, type, role } = request.fields
  const entry: Record<string, unknown> = { name, org, type, ...(role === undefined ? {} : { role }) }
  const project = loadProject(text, basename(projectFile), [{ file: basename(requestFile), entry }])
  const participant = project.participants.find((p) => p.name === name)
  if (!participant) throw new Error(`approve: ${name} is missing from the loaded project`)
  return { request, csr, project, participant }
}

/** state/cert.json of the project's workspace: the root CA must be there (central provisioning made it). */
function readState(projectDir: string, project: Project): { file: string; state: CertState } {
  const file = join(projectDir, Layout.stateDir, Layout.stateFile)
  if (!existsSync(file)) {
    throw new ProvisionError(
      'distributed-no-state',
      `${file} does not exist: no root CA for project "${project.name}" in this workspace`,
      {
        exitCode: ExitCode.conflict,
        hint: 'run the central provisioning first (provision -p project.yml -w DIR), and give approve the same -w DIR',
      },
    )
  }
  const state = parseCertState(readBounded(file, MAX_FILE_BYTES, 'state file').toString('utf8'), file)
  const cn = parseCertInfo(state.root.certPem).cn
  if (cn !== project.name) {
    throw new ProvisionError(
      'cert-root-mismatch',
      `the root CA in ${file} is for project "${cn}", not "${project.name}"`,
      {
        exitCode: ExitCode.conflict,
        hint: 'use the workspace of that project',
      },
    )
  }
  return { file, state }
}

/** A name that already has a certificate in this workspace is refused (exit 3), as `--add-client` would. */
function refuseCollision(state: CertState, name: string, stateFile: string): void {
  const how = state.participants.has(name)
    ? 'by central provisioning'
    : distributedNames(state).includes(name)
      ? 'by an earlier approve'
      : undefined
  if (!how) return
  throw new ProvisionError(
    'distributed-collision',
    `"${name}" already has a certificate in ${stateFile}, issued ${how}`,
    {
      exitCode: ExitCode.conflict,
      hint: 'a name is issued once: ask the site to request under another name, or remove the old entry from state/cert.json first',
    },
  )
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
  const files = staticKitFiles(project, p, now).sort((a, b) => (a.path < b.path ? -1 : 1))
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

/**
 * At the admin: checks a site's request against project.yml and the workspace, issues its certificate,
 * and writes the approval file (kit configs for the target version, signatures, the sealed HE client
 * context). Nothing is written when any check fails or `confirm` says no.
 */
export async function approveRequest(options: ApproveOptions): Promise<ApproveResult> {
  const now = options.now ?? (() => new Date())
  const requestFile = resolve(options.requestFile)
  const checked = checkRequest(requestFile, resolve(options.projectFile))
  const { project, request } = checked
  const output = resolve(options.output ?? join(dirname(requestFile), approvalFileName(request.fields.name)))
  if (existsSync(output))
    throw new ProvisionError('file-exists', `${output} already exists; nothing was written`, {
      hint: 'choose another file with -o FILE, or move the old approval away',
    })
  const projectDir = resolveInside(resolve(options.workspace ?? 'workspace'), project.name)
  const { file: stateFile } = readState(projectDir, project)
  const release = acquireLock(join(projectDir, Layout.lockFile), now())
  try {
    const { state } = readState(projectDir, project) // again, under the lock
    refuseCollision(state, request.fields.name, stateFile)
    const he = usesHe(project) && request.fields.type === 'client'
    const heContext = he ? await readClientContext(project, join(projectDir, Layout.stateDir)) : undefined
    const preview: ApprovalPreview = {
      project: project.name,
      fields: request.fields,
      requestSha256: request.sha256,
      rootFingerprint: certFingerprint(state.root.certPem),
      sealedHeContext: he,
    }
    if (options.confirm && !(await options.confirm(preview))) {
      throw new ProvisionError(
        'not-approved',
        `${request.fields.name} was not approved; nothing was written`,
        { exitCode: ExitCode.failed },
      )
    }
    const version = options.nvflareVersion ?? DEFAULT_NVFLARE_VERSION
    const approval = await buildApproval(checked, state, heContext, version, now)
    await commit(output, approval, state, stateFile)
    const info = parseCertInfo(approval.certPem)
    return {
      ...preview,
      approvalFile: output,
      nvflareVersion: version,
      certSerial: info.serialHex,
      certNotAfter: info.notAfter.toISOString(),
    }
  } finally {
    release()
  }
}
