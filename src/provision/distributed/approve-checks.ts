import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { ReadLimit } from '../fs/read-bounded.js'
import { Layout } from '../layout.js'
import { parseCertInfo } from '../pki/cert-info.js'
import { type CertState, checkCertState, parseCertState } from '../pki/state-store.js'
import { loadProject } from '../project/load.js'
import { MAX_FILE_BYTES } from '../project/parse-yaml.js'
import type { Participant, Project } from '../project/types.js'
import { type CheckedCsr, checkCsr } from './csr.js'
import { MAX_REQUEST_BYTES, readBounded } from './format.js'
import { parseRequest, type SiteRequest } from './request.js'
import { distributedNames } from './state.js'

/** approve's checks before anything is made: the request, its CSR, the project's rules, the workspace. */

export interface Checked {
  request: SiteRequest
  csr: CheckedCsr
  project: Project
  participant: Participant
}

/** The request file, its CSR, and the participant under the project's rules (like `--add-client`). */
export function checkRequest(requestFile: string, projectFile: string): Checked {
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
export function readState(projectDir: string, project: Project): { file: string; state: CertState } {
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
  const state = parseCertState(readBounded(file, ReadLimit.certState, 'state file').toString('utf8'), file)
  checkCertState(state, file) // the root pair and every leaf, before an approval is signed with it
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
export function refuseCollision(state: CertState, name: string, stateFile: string): void {
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
