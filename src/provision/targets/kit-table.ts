import type { PyJson } from '../pki/py-json.js'
import { CLASS_ALLOW_LISTS } from './allow-lists.generated.js'
import type { NvflareVersion } from './version.js'

/**
 * What the kits of one NVFlare version hold, where versions differ: the facts of
 * test/fixtures/reference/nvflare-versions/DIFFERENCES.md §1-§3 as data. The builders read the table of
 * the run's target (`kitTable(ctx.target)`); no other code asks which version it writes for.
 */
export interface KitTable {
  version: NvflareVersion
  /** The NVFlare source this table was read from (`<V>/VERSION.txt`). */
  source: string
  /** The server kit can carry `local/study_registry.json` (project.yml `studies`, api_version 4). */
  studies: boolean
  /** fed_server.json / fed_client.json `overseer_agent.path` (2.7's HA leftover), or none. */
  overseerAgent: string | undefined
  /** fed_client.json has `servers[0].service.target`; without it (2.7) the client dials the overseer's `sp_end_point`. */
  clientServiceTarget: boolean
  /** `class_list_enforcement_mode` and `class_allow_list` of server and client resources, or none (2.7). */
  classAllowList: { mode: string; classes: readonly string[] } | undefined
  /** The components of the server's `local/resources.json.default`, in order. */
  serverComponents: readonly KitComponent[]
  client: {
    /** resources.json.default has `allow_log_streaming` (project.yml `allow_log_streaming`, default true). */
    allowLogStreaming: boolean
    /** Args of the GPU resource manager besides `num_of_gpus` and `mem_per_gpu_in_GiB`. */
    resourceManagerArgs: Readonly<Record<string, PyJson>>
    /** The components after `resource_manager`, in order. */
    components: readonly KitComponent[]
  }
  /** `handlers.errorFileHandler.filename` of log_config.json.default. */
  errorLogFile: string
  /** Permissions added to `org_admin` and `lead` in authorization.json.default. */
  rolePermissions: Readonly<Record<string, string>>
  /** What NVFlare itself writes where we are stricter (README: "stricter than NVFlare"). */
  nvflare: {
    /** `every-kit`: startup/ and local/ of every kit; `he-kits`: only server and client kits with an HE context. */
    signs: 'every-kit' | 'he-kits'
    /** Mode of server.key / client.key (ours is 0600 in every version). */
    keyMode: number
  }
}

/** One entry of a resources `components` list. */
export interface KitComponent {
  id: string
  path: string
  args?: Readonly<Record<string, PyJson>>
}

const APP = 'nvflare.app_common'

/** The server components every version has, in NVFlare's order; the log receiver follows them. */
const SERVER_COMPONENTS: readonly KitComponent[] = [
  {
    id: 'job_scheduler',
    path: `${APP}.job_schedulers.job_scheduler.DefaultJobScheduler`,
    args: { max_jobs: 4 },
  },
  {
    id: 'job_manager',
    path: 'nvflare.apis.impl.job_def_manager.SimpleJobDefManager',
    args: { uri_root: '/tmp/nvflare/jobs-storage', job_store_id: 'job_store' },
  },
  { id: 'job_store', path: `${APP}.storages.filesystem_storage.FilesystemStorage` },
  {
    id: 'process_launcher',
    path: `${APP}.job_launcher.server_process_launcher.ServerProcessJobLauncher`,
    args: {},
  },
]

const CLIENT_COMPONENTS: readonly KitComponent[] = [
  {
    id: 'resource_consumer',
    path: `${APP}.resource_consumers.gpu_resource_consumer.GPUResourceConsumer`,
    args: {},
  },
  {
    id: 'process_launcher',
    path: `${APP}.job_launcher.client_process_launcher.ClientProcessJobLauncher`,
    args: {},
  },
]

/** The class of the client's `resource_manager` component (every version). */
export const GPU_RESOURCE_MANAGER = `${APP}.resource_managers.gpu_resource_manager.GPUResourceManager`

const SITE_LOG_STREAMER: KitComponent = {
  id: 'site_log_streamer',
  path: `${APP}.logging.site_log_streamer.SiteLogStreamer`,
  args: { log_file_name: 'error_log.txt' },
}

/** 2.8.1 and main: the same kits but for the allow-list and one authorization permission. */
const SINCE_2_8 = {
  studies: true,
  overseerAgent: undefined,
  clientServiceTarget: true,
  serverComponents: [
    ...SERVER_COMPONENTS,
    { id: 'log_receiver', path: `${APP}.logging.job_log_receiver.JobLogReceiver`, args: {} },
  ],
  client: {
    allowLogStreaming: true,
    resourceManagerArgs: { expiration_period: 300 },
    components: [...CLIENT_COMPONENTS, SITE_LOG_STREAMER],
  },
  errorLogFile: 'error_log.txt',
  nvflare: { signs: 'he-kits', keyMode: 0o600 },
} as const satisfies Partial<KitTable>

const TABLES: Record<NvflareVersion, KitTable> = {
  '2.7': {
    version: '2.7',
    source: 'NVFlare branch 2.7 @ 8b25406a (2026-04-06)',
    studies: false,
    overseerAgent: 'nvflare.ha.dummy_overseer_agent.DummyOverseerAgent',
    clientServiceTarget: false,
    classAllowList: CLASS_ALLOW_LISTS['2.7'],
    serverComponents: [
      ...SERVER_COMPONENTS,
      { id: 'log_receiver', path: `${APP}.logging.log_receiver.LogReceiver`, args: {} },
    ],
    // 2.7 also has an `error_log_sender` component, which its provisioning removes unless
    // allow_error_sending is set; we never write it.
    client: { allowLogStreaming: false, resourceManagerArgs: {}, components: CLIENT_COMPONENTS },
    errorLogFile: 'log_error.txt',
    rolePermissions: {},
    nvflare: { signs: 'every-kit', keyMode: 0o644 },
  },
  '2.8': {
    ...SINCE_2_8,
    version: '2.8',
    source: 'NVFlare tag 2.8.1 @ c3daf637 (2026-07-14)',
    classAllowList: CLASS_ALLOW_LISTS['2.8'],
    rolePermissions: {},
  },
  '2.9': {
    ...SINCE_2_8,
    version: '2.9',
    source: 'NVFlare main @ f3b7c1bf (2026-08-21)',
    classAllowList: CLASS_ALLOW_LISTS['2.9'],
    rolePermissions: { 'server-predeployed-flwr': 'none' },
  },
}

export function kitTable(version: NvflareVersion): KitTable {
  return TABLES[version]
}
