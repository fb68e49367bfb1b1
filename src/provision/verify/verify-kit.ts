import { X509Certificate } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ProvisionError } from '../../errors.js'
import { KIT_KINDS, kitKindOf } from '../kit-kinds.js'
import { Layout } from '../layout.js'
import type { CertInfo } from '../pki/cert-info.js'
import type { ParticipantType } from '../project/types.js'
import { detectKitTarget } from '../targets/detect.js'
import {
  chainCheck,
  expiryCheck,
  identityCheck,
  keyCheck,
  parseCertInfo,
  profileCheck,
} from './cert-checks.js'
import { classCheck } from './class-check.js'
import { heContextCheck } from './he-checks.js'
import { isRealDir, type KitFiles, listKitTree, prop, readKitFiles, readText } from './kit-files.js'
import { secretsCheck } from './secret-checks.js'
import { signatureCheck, signedFolderReports } from './signature-checks.js'
import { type Check, fail, type KitReport, ok, type SignedFolderReport, type VerifyOptions } from './types.js'

interface Material {
  certPem: string
  keyPem: string
  kitRootPem: string
  listenerPem: string | undefined
}

function layoutCheck(files: KitFiles): { check: Check; material?: Material } {
  const missing: string[] = []
  if (!existsSync(files.startup)) missing.push(`${Layout.startup}/`)
  if (!existsSync(join(files.dir, Layout.local))) missing.push(`${Layout.local}/`)
  if (!files.type) missing.push(`startup/fed_{server,client,admin,relay}.json`)
  else if (!files.fedConfig) missing.push(`a readable startup/fed_${files.type}.json`)
  const read = (f: string) => readText(join(files.startup, f)) ?? void missing.push(`startup/${f}`)
  const [certPem, keyPem, kitRootPem] = [read(files.certFile), read(files.keyFile), read(Layout.rootCert)]
  if (missing.length > 0 || !certPem || !keyPem || !kitRootPem) {
    return { check: fail('layout', `missing: ${missing.join(', ')}`) }
  }
  const listener = files.kind?.listener
  const listenerPem = listener ? readText(join(files.startup, listener.cert)) : undefined
  return {
    check: ok(
      'layout',
      `${files.type} kit: startup/, local/, fed_${files.type}.json, certificate, key, rootCA.pem`,
    ),
    material: { certPem, keyPem, kitRootPem, listenerPem },
  }
}

/** The CN of the server certificate in a server kit beside this kit (same prod_NN), if there is one. */
function siblingServerCn(kitDir: string): string | undefined {
  const parent = dirname(kitDir)
  for (const name of readdirSync(parent)) {
    const startup = join(parent, name, Layout.startup)
    if (!isRealDir(join(parent, name)) || !isRealDir(startup)) continue // never follow a link out
    const pem =
      kitKindOf(join(parent, name))?.type === 'server'
        ? readText(join(startup, KIT_KINDS.server.cert))
        : undefined
    if (pem) return parseCertInfo(pem).cn
  }
  return undefined
}

function expectedIdentity(files: KitFiles, type: ParticipantType) {
  const cfg = files.fedConfig
  const name = type === 'admin' ? String(prop(cfg, 'admin', 'username') ?? '') : basename(files.dir)
  const serverIdentity =
    type === 'admin' ? prop(cfg, 'admin', 'server_identity') : prop(cfg, 'servers', 0, 'identity')
  return { name, serverIdentity, serverCn: siblingServerCn(files.dir) }
}

function certChecks(
  files: KitFiles,
  type: ParticipantType,
  m: Material,
  rootPem: string,
  now: Date,
  givenRoot: boolean,
): Check[] {
  const root = parseCertInfo(rootPem)
  const leaf = parseCertInfo(m.certPem)
  const kitRoot = givenRoot ? m.kitRootPem : undefined
  const checks = [chainCheck(m.certPem, rootPem, kitRoot, `startup/${files.certFile}`)]
  checks.push(profileCheck(root, leaf, type, `startup/${files.certFile}`))
  const dated: { label: string; info: CertInfo }[] = [
    { label: 'the root CA', info: root },
    { label: `startup/${files.certFile}`, info: leaf },
  ]
  if (m.listenerPem) {
    const label = `startup/${files.kind?.listener?.cert} (listener)`
    checks.push(chainCheck(m.listenerPem, rootPem, undefined, label))
    checks.push(profileCheck(root, parseCertInfo(m.listenerPem), type, label))
    dated.push({ label, info: parseCertInfo(m.listenerPem) })
  }
  checks.push(identityCheck(files.dir, type, leaf, expectedIdentity(files, type)))
  checks.push(keyCheck(files.startup, files.keyFile, m.keyPem, m.certPem))
  checks.push(expiryCheck(dated, now))
  return checks
}

/** The report of a kit that holds a link or a special file: nothing else is read from it. */
function refusedKit(dir: string, refused: string[], options: VerifyOptions): KitReport {
  const check = fail('layout', `a kit holds only files and folders; refused: ${refused.join(', ')}`)
  const { nvflareVersion } = options
  return {
    kit: basename(dir),
    dir,
    type: undefined,
    nvflareVersion,
    checks: [check],
    signatures: [],
    he: undefined,
    rootFingerprint: undefined,
    ok: false,
  }
}

/** The checks against the root CA: certificates (chain, profile, identity, key, expiry) and signatures. */
async function rootChecks(
  files: KitFiles,
  material: Material | undefined,
  options: VerifyOptions,
): Promise<{ checks: Check[]; signatures: SignedFolderReport[]; rootFingerprint: string | undefined }> {
  const checks: Check[] = []
  if (!material || !files.kind) return { checks, signatures: [], rootFingerprint: undefined }
  const rootPem = options.rootPem ?? material.kitRootPem
  let rootFingerprint: string | undefined
  try {
    rootFingerprint = new X509Certificate(rootPem).fingerprint256
    const now = options.now ?? new Date()
    const given = options.rootPem !== undefined
    checks.push(...certChecks(files, files.kind.type, material, rootPem, now, given))
    const signatures = await signedFolderReports(files.dir, rootPem, files.kind)
    checks.push(...signatures.map(signatureCheck))
    return { checks, signatures, rootFingerprint }
  } catch (error) {
    checks.push(fail('certificates', `a certificate or key cannot be read: ${(error as Error).message}`))
    return { checks, signatures: [], rootFingerprint }
  }
}

/**
 * Checks a startup kit the way NVFlare's runtime does, and more: layout, chain to the root, certificate
 * profile, identities, key/certificate match and mode, every signature, no stray secrets, expiry, and
 * that every class its configs name exists in its NVFlare target (given, or told from the kit).
 */
export async function verifyKit(kitDir: string, options: VerifyOptions = {}): Promise<KitReport> {
  const dir = resolve(kitDir)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ProvisionError('not-found', `${kitDir} is not a folder`, {
      hint: 'pass the folder of a startup kit, e.g. prod_00/site-1',
    })
  }
  const tree = listKitTree(dir) // nothing is read from a kit that holds a link (it may lead anywhere)
  if (tree.refused.length > 0) return refusedKit(dir, tree.refused, options)
  const files = readKitFiles(dir)
  const layout = layoutCheck(files)
  const checks: Check[] = [layout.check]
  const { rootFingerprint, signatures, ...pki } = await rootChecks(files, layout.material, options)
  checks.push(...pki.checks)
  const he = files.kind ? await heContextCheck(dir, files.kind) : undefined
  if (he?.check) checks.push(he.check)
  if (files.type) checks.push(secretsCheck(dir, files.type, files.keyFile, tree.files))
  const nvflareVersion = options.nvflareVersion ?? detectKitTarget(dir)
  if (files.type) checks.push(classCheck(dir, nvflareVersion))
  return {
    kit: basename(dir),
    dir,
    type: files.type,
    nvflareVersion,
    checks,
    signatures,
    he: he?.he,
    rootFingerprint,
    ok: checks.every((c) => c.status !== 'fail'),
  }
}
