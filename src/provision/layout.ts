/** File and folder names of a workspace and of the kits in it (NVFLARE-FORMATS.md §2). */
export const Layout = {
  stateDir: 'state',
  stateFile: 'cert.json',
  /** The HE key: a TenSEAL client context (parameters + secret key), reused by every run. */
  heStateFile: 'he_context.tenseal',
  /** The NVFlare target of the workspace's kits (ours; NVFlare's cert.json keeps its own shape). */
  targetStateFile: 'target.json',
  lockFile: '.provision.lock',
  wipDir: 'wip',
  prodPrefix: 'prod_',
  startup: 'startup',
  local: 'local',
  transfer: 'transfer',
  readme: 'readme.txt',
  rootCert: 'rootCA.pem',
  signature: 'signature.json',
  startAll: 'start_all.sh',
  fedServer: 'fed_server.json',
  fedClient: 'fed_client.json',
  fedAdmin: 'fed_admin.json',
  fedRelay: 'fed_relay.json',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  clientCert: 'client.crt',
  clientKey: 'client.key',
  serverContext: 'server_context.tenseal',
  clientContext: 'client_context.tenseal',
  studyRegistry: 'study_registry.json',
  commConfig: 'comm_config.json',
  /** The docker builder's files at the top of prod_NN. */
  composeFile: 'compose.yaml',
  composeEnv: '.env',
  composeDir: 'nvflare_compose',
  /** `--zip`: `<kit name>.zip` beside each kit folder. */
  zipSuffix: '.zip',
} as const

/**
 * Names we write at the top of prod_NN beside the kit folders (besides `<kit>.zip`): no participant may be
 * named so, or its kit folder and our file would be the same path.
 */
export const GENERATED_TOP_LEVEL = [
  Layout.startAll,
  Layout.composeFile,
  Layout.composeEnv,
  Layout.composeDir,
] as const

/** The kit folders signature.json signs (the signature builder, verify, and the context's write cache). */
export const SIGNED_FOLDERS = [Layout.startup, Layout.local] as const

/** `prod_00`, `prod_01`, … */
export function prodDirName(index: number): string {
  return `${Layout.prodPrefix}${String(index).padStart(2, '0')}`
}

/** The index of a `prod_NN` folder name, or undefined for any other name. */
export function prodDirIndex(name: string): number | undefined {
  const match = /^prod_(\d+)$/.exec(name)
  return match ? Number(match[1]) : undefined
}

export const FileMode = {
  script: 0o755,
  file: 0o644,
  secret: 0o600,
  secretDir: 0o700,
  dir: 0o755,
} as const
