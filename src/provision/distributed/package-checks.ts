import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { ExitCode, ProvisionError, type ProvisionErrorCode } from '../../errors.js'
import { resolveInside } from '../fs/safe-path.js'
import { FileMode, Layout } from '../layout.js'
import { parseCertInfo } from '../pki/cert-info.js'
import { kitCertFiles } from '../pki/participant-certs.js'
import { pythonJsonDumps } from '../pki/py-json.js'
import { verifyContent } from '../pki/signing.js'
import { type Approval, type KitFile, parseApproval, verifyApprovalSignature } from './approval.js'
import { openSealed } from './envelope.js'
import {
  badFile,
  certFingerprint,
  MAX_APPROVAL_BYTES,
  MAX_REQUEST_BYTES,
  readBounded,
  sha256Hex,
} from './format.js'
import { describeFields, fieldProblems, sameFields } from './participant.js'
import { keyFileName, parseRequest, requestFileName, type SiteRequest } from './request.js'

/** What the site's checks of an approval hand to the packaging step: every file of the kit. */
export interface CheckedApproval {
  approval: Approval
  request: SiteRequest
  /** Every file of the kit with its mode, signature.json files included. */
  files: KitFile[]
}

function refused(code: ProvisionErrorCode, message: string, hint: string): ProvisionError {
  return new ProvisionError(code, message, { hint, exitCode: ExitCode.badInput })
}

/** The root CA of the approval, checked against the fingerprint the site was given out of band. */
function trustedRoot(approval: Approval, fingerprint: string, where: string): KeyObject {
  let root: X509Certificate
  try {
    root = new X509Certificate(approval.rootCaPem)
  } catch (cause) {
    throw badFile(where, 'its root CA certificate cannot be read', undefined, cause)
  }
  const actual = certFingerprint(approval.rootCaPem)
  if (actual !== fingerprint) {
    throw refused(
      'distributed-root-mismatch',
      `${where}: the root CA in the approval has fingerprint ${actual}, not the ${fingerprint} you were given`,
      'do not use this approval: ask the admin for the root fingerprint again over a channel you trust (phone, in person), and for a new approval',
    )
  }
  if (!root.ca || !root.checkIssued(root) || !root.verify(root.publicKey))
    throw badFile(where, 'its root CA is not a self-signed CA certificate')
  return root.publicKey
}

/** The site's own request and key, found by the approval's participant name in the request folder. */
function ownRequest(
  approval: Approval,
  requestDir: string,
  where: string,
): { request: SiteRequest; keyBytes: Buffer } {
  const problems = fieldProblems(approval.fields)
  if (problems.length > 0) throw badFile(where, `its participant is not valid: ${problems.join('; ')}`)
  const { name } = approval.fields
  const requestFile = resolveInside(requestDir, requestFileName(name))
  if (!existsSync(requestFile)) {
    throw refused(
      'distributed-foreign-approval',
      `${where} is for "${name}", but ${requestDir} holds no request of "${name}" (${requestFileName(name)})`,
      'give --request-dir the folder `provision request` wrote for this participant, or ask for the approval of your own request',
    )
  }
  const request = parseRequest(readBounded(requestFile, MAX_REQUEST_BYTES, 'request file'), requestFile)
  if (request.sha256 !== approval.requestSha256 || !sameFields(request.fields, approval.fields)) {
    throw refused(
      'distributed-foreign-approval',
      `${where} answers request ${approval.requestSha256}, not yours (${request.sha256}, ${describeFields(request.fields)})`,
      'ask the admin to approve the request in this folder',
    )
  }
  const keyBytes = readBounded(
    resolveInside(requestDir, keyFileName(name)),
    MAX_REQUEST_BYTES,
    'private key file',
  )
  if (sha256Hex(keyBytes) !== request.keySha256) {
    throw refused(
      'distributed-wrong-key',
      `${requestDir}/${keyFileName(name)} is not the key this request was made with`,
      'restore the key file `provision request` wrote; without it the approval cannot be used',
    )
  }
  return { request, keyBytes }
}

/** The certificate must chain to the root, carry the request's subject, and hold this site's public key. */
function checkCertificate(approval: Approval, rootKey: KeyObject, ownKey: KeyObject, where: string): void {
  const cert = new X509Certificate(approval.certPem)
  if (!cert.verify(rootKey)) throw badFile(where, 'its certificate is not signed by its root CA')
  const own = createPublicKey(ownKey).export({ type: 'spki', format: 'der' })
  if (!cert.publicKey.export({ type: 'spki', format: 'der' }).equals(own)) {
    throw refused(
      'distributed-wrong-key',
      `${where}: the certificate is for another key than this site's`,
      'the approval was made for another request: ask for the approval of the request in this folder',
    )
  }
  const info = parseCertInfo(approval.certPem)
  const { name, org, type, role } = approval.fields
  if (info.cn !== name || info.org !== org || (type === 'admin' && info.role !== role)) {
    throw badFile(
      where,
      `its certificate names ${info.cn} of ${info.org}, not ${describeFields(approval.fields)}`,
    )
  }
}

/** Every file of each signed folder must verify with the root key, and every signed name must be there. */
function checkSignatures(approval: Approval, files: KitFile[], rootKey: KeyObject, where: string): KitFile[] {
  const out: KitFile[] = []
  for (const [folder, doc] of Object.entries(approval.signatures)) {
    const inFolder = files.filter((f) => f.path.startsWith(`${folder}/`))
    const names = new Set(inFolder.map((f) => f.path.slice(folder.length + 1)))
    const unsigned = [...names].filter((n) => doc[n] === undefined)
    const absent = Object.keys(doc).filter((n) => !names.has(n))
    if (unsigned.length > 0 || absent.length > 0) {
      throw badFile(
        where,
        `signatures of ${folder}/ do not match its files (unsigned: ${unsigned.join(', ') || 'none'}; signed but absent: ${absent.join(', ') || 'none'})`,
      )
    }
    for (const f of inFolder) {
      if (!verifyContent(rootKey, f.data, doc[f.path.slice(folder.length + 1)]!))
        throw badFile(where, `${f.path} does not match its signature by the root CA (tampered?)`)
    }
    const sorted = Object.fromEntries(
      Object.keys(doc)
        .sort()
        .map((n) => [n, doc[n]!]),
    )
    out.push({
      path: `${folder}/${Layout.signature}`,
      mode: FileMode.file,
      data: Buffer.from(pythonJsonDumps(sorted), 'utf8'),
    })
  }
  return out
}

/**
 * At the site, before anything is written: the approval's root against the fingerprint, its signature,
 * that it answers this folder's request, the certificate against this site's key; then it opens the
 * sealed files and checks every file against its signature. Any failure is exit 2, nothing written.
 */
export function checkApproval(
  approvalFile: string,
  requestDir: string,
  fingerprint: string,
): CheckedApproval {
  const where = approvalFile
  const { approval, doc } = parseApproval(
    readBounded(approvalFile, MAX_APPROVAL_BYTES, 'approval file'),
    where,
  )
  const rootKey = trustedRoot(approval, fingerprint, where)
  if (!verifyApprovalSignature(doc, rootKey)) {
    throw badFile(
      where,
      'its signature does not verify with its root CA: the file was changed after the admin made it',
    )
  }
  const { request, keyBytes } = ownRequest(approval, requestDir, where)
  const key = createPrivateKey(keyBytes)
  checkCertificate(approval, rootKey, key, where)
  const binding = { siteName: approval.fields.name, requestSha256: request.sha256 }
  const opened = approval.sealed.map((s) => ({
    path: s.path,
    mode: s.mode,
    data: openSealed(key, s.envelope, binding, `${where}: ${s.path}`),
  }))
  const names = kitCertFiles(approval.fields)
  const files: KitFile[] = [
    ...approval.files,
    ...opened,
    {
      path: `${Layout.startup}/${names.cert}`,
      mode: FileMode.file,
      data: Buffer.from(approval.certPem, 'utf8'),
    },
    {
      path: `${Layout.startup}/${Layout.rootCert}`,
      mode: FileMode.file,
      data: Buffer.from(approval.rootCaPem, 'utf8'),
    },
    { path: `${Layout.startup}/${names.key}`, mode: FileMode.secret, data: keyBytes },
  ]
  const paths = files.map((f) => f.path)
  const twice = paths.find((p, i) => paths.indexOf(p) !== i || p.endsWith(`/${Layout.signature}`))
  if (twice) throw badFile(where, `it lists ${twice}, a file the site makes itself or one listed twice`)
  return { approval, request, files: [...files, ...checkSignatures(approval, files, rootKey, where)] }
}
