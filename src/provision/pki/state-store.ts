import { X509Certificate } from 'node:crypto'
import { ExitCode, ProvisionError } from '../../errors.js'
import type { Credential } from '../context.js'
import { keyMatchesCert } from './participant-certs.js'
import { type PyJson, pythonJsonDumps } from './py-json.js'

/** `state/cert.json` in NVFlare's shape: `{"root_cert", "root_pri_key", "<name>": {"cert", "pri_key"}}`. */
export interface CertState {
  root: Credential
  /** By participant name, in file order. */
  participants: Map<string, Credential>
  /** Entries we do not understand, kept as they were so that a rerun does not lose them. */
  extras: Record<string, PyJson>
}

const ROOT_CERT = 'root_cert'
const ROOT_KEY = 'root_pri_key'
const HINT = 'restore the file from a backup, or move the state/ folder away to start a new root CA'

function bad(file: string, detail: string, cause?: unknown): ProvisionError {
  return new ProvisionError('state-corrupt', `${file} is not a valid certificate state file: ${detail}`, {
    hint: HINT,
    cause,
  })
}

function isPem(value: unknown, label: RegExp): value is string {
  return typeof value === 'string' && label.test(value)
}

const CERT_PEM = /-----BEGIN CERTIFICATE-----/
const KEY_PEM = /-----BEGIN (RSA )?PRIVATE KEY-----/

/** Parses cert.json; `file` names it in errors. */
export function parseCertState(text: string, file: string): CertState {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw bad(file, 'it is not JSON', error)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad(file, 'not a JSON object')
  const obj = data as Record<string, unknown>
  const rootCert = obj[ROOT_CERT]
  const rootKey = obj[ROOT_KEY]
  if (!isPem(rootCert, CERT_PEM)) throw bad(file, `"${ROOT_CERT}" is missing or not a PEM certificate`)
  if (!isPem(rootKey, KEY_PEM)) throw bad(file, `"${ROOT_KEY}" is missing or not a PEM private key`)
  const state: CertState = {
    root: { certPem: rootCert, keyPem: rootKey },
    participants: new Map(),
    extras: {},
  }
  for (const [name, entry] of Object.entries(obj)) {
    if (name === ROOT_CERT || name === ROOT_KEY) continue
    const cred = entry as Record<string, unknown> | null
    if (cred && typeof cred === 'object' && ('cert' in cred || 'pri_key' in cred)) {
      if (!isPem(cred['cert'], CERT_PEM) || !isPem(cred['pri_key'], KEY_PEM)) {
        throw bad(file, `the entry of "${name}" needs a PEM "cert" and a PEM "pri_key"`)
      }
      state.participants.set(name, { certPem: cred['cert'], keyPem: cred['pri_key'] })
    } else {
      state.extras[name] = entry as PyJson
    }
  }
  return state
}

function keyMatches(cred: Credential): boolean {
  try {
    return keyMatchesCert(cred.keyPem, cred.certPem)
  } catch {
    return false
  }
}

function readCert(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem)
  } catch {
    return undefined
  }
}

/** What is wrong with one participant entry: its certificate, its issuer, or its key. */
function entryProblem(name: string, cred: Credential, root: X509Certificate): string | undefined {
  const cert = readCert(cred.certPem)
  if (!cert) return `the certificate of "${name}" cannot be read`
  if (!cert.checkIssued(root) || !cert.verify(root.publicKey))
    return `the certificate of "${name}" is not issued by the root CA in the same file`
  if (!keyMatches(cred)) return `the key of "${name}" does not match its certificate`
  return undefined
}

/**
 * Checks the state before anything is built from it: the root key matches the root certificate, the
 * root is a self-signed CA certificate, and every participant's certificate is issued by that root and
 * matches its key. State that fails would make kits that every runtime refuses.
 */
export function checkCertState(state: CertState, file: string): void {
  const root = readCert(state.root.certPem)
  const problems: string[] = []
  if (!root) problems.push(`"${ROOT_CERT}" cannot be read as a certificate`)
  else if (!root.ca || !root.checkIssued(root) || !root.verify(root.publicKey))
    problems.push(`"${ROOT_CERT}" is not a self-signed CA certificate`)
  else if (!keyMatches(state.root)) problems.push(`"${ROOT_KEY}" is not the key of "${ROOT_CERT}"`)
  if (root && problems.length === 0) {
    for (const [name, cred] of state.participants) {
      const problem = entryProblem(name, cred, root)
      if (problem) problems.push(problem)
    }
  }
  if (problems.length === 0) return
  throw new ProvisionError(
    'state-corrupt',
    `${file} does not hold a consistent root CA and its certificates; nothing was written`,
    {
      problems: problems.slice(0, 20),
      hint: `${HINT}; to reissue one participant, remove its entry from the file`,
      exitCode: ExitCode.badInput,
    },
  )
}

/** cert.json text, written like NVFlare's `json.dump` (so NVFlare can read our state and we can read its). */
export function serializeCertState(state: CertState): string {
  const out: Record<string, PyJson> = { [ROOT_CERT]: state.root.certPem, [ROOT_KEY]: state.root.keyPem }
  for (const [name, cred] of state.participants) out[name] = { cert: cred.certPem, pri_key: cred.keyPem }
  for (const [name, value] of Object.entries(state.extras)) out[name] ??= value
  return pythonJsonDumps(out)
}
