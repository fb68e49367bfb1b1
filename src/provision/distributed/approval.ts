import type { KeyObject } from 'node:crypto'
import { SIGNED_FOLDERS } from '../layout.js'
import { signContent, verifyContent } from '../pki/signing.js'
import { isNvflareVersion, type NvflareVersion } from '../targets/version.js'
import { canonicalJson } from './canonical-json.js'
import { badFile, Fields, FORMAT_VERSION, FormatName, parseFormatted, SHA256_HEX } from './format.js'
import { isDistributedType, type ParticipantFields } from './participant.js'

/**
 * The approval file, our own versioned JSON format: everything the site needs to assemble its kit, made
 * by the admin, signed as a whole by the root CA (`approval_signature`, RSA-PSS over the canonical JSON of
 * every other field). It never holds the site's private key; the HE client context is sealed to it.
 */
export interface KitFile {
  /** Relative to the kit folder: `readme.txt`, `startup/fed_client.json`, `local/…`. */
  path: string
  mode: number
  data: Buffer
}

/** A kit file only the requesting site can open: its path, mode and sealed content. */
export interface SealedKitFile {
  path: string
  mode: number
  /** A sealed envelope (envelope.ts) of the file's content. */
  envelope: Buffer
}

/** What `provision approve` hands back to a site: its certificate and kit files, signed by the root CA. */
export interface Approval {
  project: string
  nvflareVersion: NvflareVersion
  fields: ParticipantFields
  requestSha256: string
  approved: string
  rootFingerprint: string
  certPem: string
  rootCaPem: string
  files: KitFile[]
  sealed: SealedKitFile[]
  /** signature.json entries by signed folder (`startup`, `local`); empty when the project signs nothing. */
  signatures: Record<string, Record<string, string>>
}

const MAX_FILES = 64
const MAX_FILE_BYTES = 16 * 1024 * 1024
const MAX_ENVELOPE_BYTES = 48 * 1024 * 1024
const MODES = new Set([0o600, 0o644, 0o755])
const KIT_PATH = new RegExp(`^(?:(?:${SIGNED_FOLDERS.join('|')})/)?[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
const PEM_CERT = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/
const FINGERPRINT = /^SHA256(?::[0-9A-F]{2}){32}$/

function body(a: Approval): Record<string, unknown> {
  const participant: Record<string, string> = { name: a.fields.name, org: a.fields.org, type: a.fields.type }
  if (a.fields.role !== undefined) participant['role'] = a.fields.role
  return {
    format: FormatName.approval,
    format_version: FORMAT_VERSION,
    project: a.project,
    nvflare_version: a.nvflareVersion,
    participant,
    request_sha256: a.requestSha256,
    approved: a.approved,
    root_fingerprint: a.rootFingerprint,
    certificate: a.certPem,
    root_ca: a.rootCaPem,
    files: a.files.map((f) => ({ path: f.path, mode: f.mode, data: f.data.toString('base64') })),
    sealed: a.sealed.map((f) => ({ path: f.path, mode: f.mode, envelope: f.envelope.toString('base64') })),
    signatures: a.signatures,
  }
}

/** The approval file's text, signed with the root CA key. */
export async function serializeApproval(a: Approval, rootKey: KeyObject): Promise<string> {
  const doc = body(a)
  const signature = await signContent(rootKey, Buffer.from(canonicalJson(doc), 'utf8'))
  return `${JSON.stringify({ ...doc, approval_signature: signature }, null, 2)}\n`
}

function kitFiles(f: Fields, key: 'files' | 'sealed', where: string) {
  const seen = new Set<string>()
  return f.array(key, MAX_FILES).map((e) => {
    const path = e.string('path', 200, KIT_PATH)
    if (seen.has(path)) throw badFile(where, `${key} lists ${path} twice`)
    seen.add(path)
    const mode = e.integer('mode', 0, 0o777)
    if (!MODES.has(mode))
      throw badFile(where, `${key}: ${path} has mode ${mode.toString(8)}; expected 600, 644 or 755`)
    return { path, mode, e }
  })
}

function signatureMaps(f: Fields, where: string): Record<string, Record<string, string>> {
  const raw = f.object('signatures').raw()
  const out: Record<string, Record<string, string>> = {}
  for (const folder of Object.keys(raw)) {
    if (!(SIGNED_FOLDERS as readonly string[]).includes(folder))
      throw badFile(where, `signatures: unknown folder "${folder}"`)
    out[folder] = f.object('signatures').stringMap(folder, MAX_FILES)
  }
  return out
}

/** Parses an approval's form (types, lengths, paths); `verifyApprovalSignature` checks its signature. */
export function parseApproval(
  bytes: Uint8Array,
  where: string,
): { approval: Approval; doc: Record<string, unknown> } {
  const doc = parseFormatted(bytes, FormatName.approval, where)
  const f = new Fields(doc, where)
  const p = f.object('participant')
  const type = p.string('type', 16)
  const version = f.string('nvflare_version', 8)
  if (!isDistributedType(type))
    throw badFile(where, `participant type "${type}" is not client, admin or server`)
  if (!isNvflareVersion(version))
    throw badFile(where, `nvflare_version "${version}" is not one this fedforge writes`)
  const files = kitFiles(f, 'files', where).map(({ path, mode, e }) => ({
    path,
    mode,
    data: e.base64('data', MAX_FILE_BYTES),
  }))
  const sealed = kitFiles(f, 'sealed', where).map(({ path, mode, e }) => ({
    path,
    mode,
    envelope: e.base64('envelope', MAX_ENVELOPE_BYTES),
  }))
  const approval: Approval = {
    project: f.string('project', 64),
    nvflareVersion: version,
    fields: {
      name: p.string('name', 256),
      org: p.string('org', 256),
      type,
      role: p.optionalString('role', 256),
    },
    requestSha256: f.string('request_sha256', 64, SHA256_HEX),
    approved: f.string('approved', 64),
    rootFingerprint: f.string('root_fingerprint', 128, FINGERPRINT),
    certPem: f.string('certificate', 16_384, PEM_CERT),
    rootCaPem: f.string('root_ca', 16_384, PEM_CERT),
    files,
    sealed,
    signatures: signatureMaps(f, where),
  }
  f.string('approval_signature', 2048)
  return { approval, doc }
}

/** True when `approval_signature` verifies with `rootPublicKey` over the canonical JSON of the rest. */
export function verifyApprovalSignature(doc: Record<string, unknown>, rootPublicKey: KeyObject): boolean {
  const { approval_signature: signature, ...rest } = doc
  if (typeof signature !== 'string') return false
  return verifyContent(rootPublicKey, Buffer.from(canonicalJson(rest), 'utf8'), signature)
}
