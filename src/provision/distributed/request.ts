import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { resolveInside } from '../fs/safe-path.js'
import { FileMode } from '../layout.js'
import { makeKeyPem } from '../pki/key-makers.mjs'
import { DEFAULT_KEY_METHOD, type KeyMethod, parseKeyMethod } from '../pki/key-source.js'
import { createCsr } from './csr.js'
import { Fields, FORMAT_VERSION, FormatName, parseFormatted, SHA256_HEX, sha256Hex } from './format.js'
import { removeWritten, writeNewFile } from './io.js'
import {
  checkFields,
  type DistributedType,
  fieldProblems,
  isDistributedType,
  type ParticipantFields,
} from './participant.js'

/**
 * The request file (`<name>.request.json`), our own versioned JSON format: the participant's fields, its
 * CSR, and the SHA-256 of its private key file (so that the admin can sign that file for the kit's
 * signature.json without ever seeing it). The request's own SHA-256 is over the file's exact bytes.
 */
export interface SiteRequest {
  fields: ParticipantFields
  csrPem: string
  /** SHA-256 (hex) of the exact bytes of the private key file the kit will hold. */
  keySha256: string
  created: string
  /** SHA-256 (hex) of the request file's bytes. */
  sha256: string
}

export const requestFileName = (name: string) => `${name}.request.json`
export const keyFileName = (name: string) => `${name}.key`

const PEM_CSR = /^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n?$/

export function serializeRequest(r: Omit<SiteRequest, 'sha256'>): string {
  const participant: Record<string, string> = { name: r.fields.name, org: r.fields.org, type: r.fields.type }
  if (r.fields.role !== undefined) participant['role'] = r.fields.role
  const doc = {
    format: FormatName.request,
    format_version: FORMAT_VERSION,
    participant,
    csr: r.csrPem,
    key_sha256: r.keySha256,
    created: r.created,
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** Parses a request file's bytes; `where` names it in errors. Checks form only (approve checks the CSR). */
export function parseRequest(bytes: Uint8Array, where: string): SiteRequest {
  const f = new Fields(parseFormatted(bytes, FormatName.request, where), where)
  const p = f.object('participant')
  const type = p.string('type', 16)
  if (!isDistributedType(type)) throw badType(where, type)
  const fields: ParticipantFields = {
    name: p.string('name', 256),
    org: p.string('org', 256),
    type,
    role: p.optionalString('role', 256),
  }
  const problems = fieldProblems(fields)
  if (problems.length > 0) {
    throw new ProvisionError('distributed-bad-file', `${where}: the participant fields are not valid`, {
      problems,
      exitCode: ExitCode.badInput,
    })
  }
  return {
    fields,
    csrPem: f.string('csr', 16_384, PEM_CSR),
    keySha256: f.string('key_sha256', 64, SHA256_HEX),
    created: f.string('created', 64),
    sha256: sha256Hex(bytes),
  }
}

function badType(where: string, type: string): ProvisionError {
  return new ProvisionError(
    'distributed-bad-file',
    `${where}: participant type "${type}" is not client, admin or server`,
    {
      exitCode: ExitCode.badInput,
    },
  )
}

/** Options of `makeRequest` (site side): who the request is for and the folder that gets its key. */
export interface MakeRequestOptions {
  name: string
  org: string
  type?: DistributedType
  role?: string
  /** The folder that gets `<name>.key` (0600) and `<name>.request.json`; made 0700 when missing. */
  dir: string
  now?: Date
  /** How the RSA-2048 key is made, as in the central flow (`--key-source`). Default: DEFAULT_KEY_METHOD. */
  keySource?: KeyMethod
  /** Makes the private key (PEM) instead of `keySource` (tests hand in fixed keys). */
  makeKey?: () => string
}

/** What `makeRequest` wrote: the request and the paths of its file and of the private key. */
export interface MadeRequest {
  request: SiteRequest
  requestFile: string
  keyFile: string
}

/**
 * At the site: makes the participant's RSA key and CSR, and writes the key (0600, never anywhere else)
 * and the request file into `dir`. Refuses a folder that already holds a request for this name.
 */
export function makeRequest(options: MakeRequestOptions): MadeRequest {
  const fields: ParticipantFields = {
    name: options.name,
    org: options.org,
    type: options.type ?? 'client',
    role: options.role,
  }
  checkFields(fields, 'provision request')
  const dir = resolve(options.dir)
  const keyFile = resolveInside(dir, keyFileName(fields.name))
  const requestFile = resolveInside(dir, requestFileName(fields.name))
  for (const path of [keyFile, requestFile]) {
    if (existsSync(path)) {
      throw new ProvisionError('file-exists', `${path} already exists; nothing was written`, {
        exitCode: ExitCode.badInput,
        hint: 'a request for this name was made in this folder before: use it, or choose another folder with -o DIR',
      })
    }
  }
  const method = parseKeyMethod(options.keySource ?? DEFAULT_KEY_METHOD, 'keySource')
  const keyPem = (options.makeKey ?? (() => makeKeyPem(method)))()
  const csrPem = createCsr(keyPem, fields)
  const text = serializeRequest({
    fields,
    csrPem,
    keySha256: sha256Hex(keyPem),
    created: (options.now ?? new Date()).toISOString(),
  })
  mkdirSync(dir, { recursive: true, mode: FileMode.secretDir })
  writeNewFile(keyFile, keyPem, FileMode.secret)
  try {
    writeNewFile(requestFile, text, FileMode.file)
  } catch (error) {
    removeWritten(keyFile)
    throw error
  }
  return { request: parseRequest(Buffer.from(text, 'utf8'), requestFile), requestFile, keyFile }
}
