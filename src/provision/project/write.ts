import { Document, isMap, isPair, isScalar, isSeq, type Pair, visit, type YAMLMap } from 'yaml'
import { findBuilder } from '../builders/registry.js'
import type { ProjectFile } from './schema.js'

/**
 * ProjectFile → project.yml text with comments saying what each section means. The text loads back (with
 * loadProject) to the same project: comments are the only thing added.
 */
export function writeProjectYaml(file: ProjectFile): string {
  const doc = new Document(file)
  doc.commentBefore = HEADER
  const top = doc.contents
  if (isMap(top)) {
    for (const pair of top.items) commentTopLevel(pair)
  }
  visit(doc, {
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every(isScalar)) node.flow = true
    },
  })
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false })
}

const HEADER = [
  ' NVIDIA FLARE project file, written by `provision init`.',
  ' `provision -p <this file>` turns it into one signed startup kit per participant under',
  " workspace/<name>/prod_NN/. The format is NVFlare's own: `nvflare provision` reads it too.",
].join('\n')

const TOP_LEVEL: Record<string, string> = {
  api_version: ' Format version of this file (3; 4 adds studies).',
  name: ' Project name: the folder under the workspace and the CN of the root certificate.',
  description: ' What the project is for (free text).',
  participants:
    ' Everyone who gets a startup kit. Names are certificate CNs and kit folder names, so they are unique.',
  builders: ' What a run builds, in a fixed order whatever the order here (signing always comes last).',
  studies: ' Studies (api_version 4): which sites and admins take part in each study.',
}

const BY_TYPE: Record<string, string> = {
  server: ' The server: exactly one. Its name is the DNS name clients dial (or is listed in host_names).',
  client: " Clients: one per site that trains. Names use letters, digits, '_' and '-'.",
  admin: ' Admins log in to the admin console with their kit; the name is an e-mail address.',
  relay: ' Relays forward connections between clients and the server.',
}

const FIELDS: Record<string, string> = {
  org: ' organization: admins of an org manage its sites',
  fed_learn_port: ' the port clients connect to',
  admin_port: ' the port admin consoles connect to (may equal fed_learn_port)',
  host_names: ' extra DNS names / IP addresses in the server certificate',
  connection_security: ' mtls: both sides show certificates; tls: only the server; clear: none (tests only)',
  role: " project_admin: everything; org_admin: their org's sites; lead: run jobs; member: view",
}

const BUILDERS: Record<string, string> = {
  workspace: ' Folders of the kits.',
  static: ' Configuration files and start/stop scripts.',
  cert: ' Root CA, and a certificate and private key for every participant.',
  he: [
    ' Homomorphic encryption (CKKS, TenSEAL format): clients encrypt model updates and the server',
    ' aggregates them without the secret key. 128-bit security caps the total coeff_mod_bit_sizes by',
    ' poly_modulus_degree (4096: 109, 8192: 218, 16384: 438 bits).',
  ].join('\n'),
  signature: ' Signs every kit file so the runtime can detect tampering.',
}

function commentTopLevel(pair: Pair): void {
  const key = isScalar(pair.key) ? String(pair.key.value) : ''
  const comment = TOP_LEVEL[key]
  if (comment && isScalar(pair.key)) {
    pair.key.commentBefore = comment
    pair.key.spaceBefore = key !== 'api_version'
  }
  if (key === 'participants' && isSeq(pair.value)) commentParticipants(pair.value.items)
  if (key === 'builders' && isSeq(pair.value)) commentBuilders(pair.value.items)
}

function commentParticipants(items: unknown[]): void {
  const seen = new Set<string>()
  for (const item of items) {
    if (!isMap(item)) continue
    const type = String(scalarAt(item, 'type'))
    if (!seen.has(type) && BY_TYPE[type]) {
      item.commentBefore = BY_TYPE[type]
      item.spaceBefore = seen.size > 0
      commentFields(item)
    }
    seen.add(type)
  }
}

/** Trailing comments on the fields of the first participant of each type. */
function commentFields(item: YAMLMap): void {
  for (const pair of item.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue
    const comment = FIELDS[String(pair.key.value)]
    const value = pair.value
    if (comment && (isScalar(value) || isSeq(value))) value.comment = comment
  }
}

function commentBuilders(items: unknown[]): void {
  for (const item of items) {
    if (!isMap(item)) continue
    const path = scalarAt(item, 'path')
    const id = typeof path === 'string' ? findBuilder(path)?.id : undefined
    const comment = id === undefined ? undefined : BUILDERS[id]
    if (comment) item.commentBefore = comment
  }
}

function scalarAt(map: YAMLMap, key: string): unknown {
  const node = map.get(key, true)
  return isScalar(node) ? node.value : undefined
}
