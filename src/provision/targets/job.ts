import type { ComponentClass, JsonValue } from './job-class.js'
import * as C from './job-classes.js'
import type { NvflareVersion } from './version.js'

/** A component NVFlare's BaseFedJob puts into every job: its id, its class and the values it is built with. */
export interface JobWidget {
  readonly id: string
  readonly cls: ComponentClass
  readonly values: Readonly<Record<string, JsonValue>>
}

/**
 * The executor ScriptRunner (framework PYTORCH) gives a client: the class, and the values it sets beside
 * the script, its arguments and the recipe's exchange settings.
 */
export interface ExecutorForm {
  readonly cls: ComponentClass
  readonly values: Readonly<Record<string, JsonValue>>
}

/**
 * How a training script launched as its own process is wired. `command`: the executor itself gets the
 * argv (`command`, `custom/<script>`, the script's arguments). `launcher`: the executor talks to the
 * script through a pipe component and starts it with a launcher component whose `script` is one command
 * line; `components` are added to the client in order (the launcher is the one with id `launcherId`).
 */
export type ExternalProcessForm =
  | { readonly kind: 'command'; readonly executor: ExecutorForm }
  | {
      readonly kind: 'launcher'
      readonly executor: ExecutorForm
      readonly components: readonly JobWidget[]
      readonly launcherId: string
    }

/** What an exported job looks like for one NVFlare version, where versions differ (DIFFERENCES.md §5). */
export interface JobTarget {
  /** Server components BaseFedJob adds, in order, before the recipe's own (persistor, aggregator, ...). */
  readonly serverWidgets: readonly JobWidget[]
  /** Client components BaseFedJob adds. */
  readonly clientWidgets: readonly JobWidget[]
  /** The executor of an in-process training script (NVFlare's default). */
  readonly inProcess: ExecutorForm
  /** How a training script launched as its own process is wired (`launchExternalProcess`). */
  readonly externalProcess: ExternalProcessForm
}

const jsonGenerator: JobWidget = { id: 'json_generator', cls: C.ValidationJsonGenerator, values: {} }
const modelSelector: JobWidget = {
  id: 'model_selector',
  cls: C.IntimeModelSelector,
  values: { aggregation_weights: {}, key_metric: 'accuracy' },
}
const metricsArtifactWriter: JobWidget = {
  id: 'metrics_artifact_writer',
  cls: C.MetricsArtifactWriter,
  values: {},
}
/** NVFlare's analytics event that clients turn into federated events (`analytix_log_stats`). */
export const ANALYTIC_EVENT_TYPE = 'analytix_log_stats'
const eventToFed: JobWidget = {
  id: 'event_to_fed',
  cls: C.ConvertToFedEvent,
  values: { events_to_convert: [ANALYTIC_EVENT_TYPE] },
}

/** The cell pipe ScriptRunner gives an external process, connected through the client's CP. */
const cellPipe = (id: string): JobWidget => ({
  id,
  cls: C.CellPipe,
  values: {
    mode: 'PASSIVE',
    site_name: '{SITE_NAME}',
    token: '{JOB_ID}',
    root_url: '{CP_URL}',
    secure_mode: '{SECURE_MODE}',
    workspace_dir: '{WORKSPACE}',
  },
})

/** 2.7 and 2.8's ScriptRunner: task pipe, launcher, executor, metrics pipe, metric relay, config preparer. */
const launcherForm = (maxResends: number | null): ExternalProcessForm => ({
  kind: 'launcher',
  executor: {
    cls: C.PTClientAPILauncherExecutor,
    values: { pipe_id: 'pipe', launcher_id: 'launcher', max_resends: maxResends },
  },
  components: [
    cellPipe('pipe'),
    { id: 'launcher', cls: C.SubprocessLauncher, values: { launch_once: true, shutdown_timeout: 0 } },
    cellPipe('metrics_pipe'),
    {
      id: 'metric_relay',
      cls: C.MetricRelay,
      values: { pipe_id: 'metrics_pipe', heartbeat_timeout: 0, event_type: `fed.${ANALYTIC_EVENT_TYPE}` },
    },
    { id: 'config_preparer', cls: C.ExternalConfigurator, values: { component_ids: ['metric_relay'] } },
  ],
  launcherId: 'launcher',
})

const releasedWidgets = {
  serverWidgets: [jsonGenerator, modelSelector],
  clientWidgets: [eventToFed],
  inProcess: { cls: C.PTInProcessClientAPIExecutor, values: {} },
}

/**
 * 2.7 and 2.8.1 export the same in-process job (byte-identical configs). Their external-process executors
 * differ in `max_resends`: 2.7's exporter writes null (unbounded resends, as its runtime then warns), 2.8's 3.
 */
const v27: JobTarget = { ...releasedWidgets, externalProcess: launcherForm(null) }
const v28: JobTarget = { ...releasedWidgets, externalProcess: launcherForm(3) }

/** NVFlare main (f3b7c1b): a metrics artifact writer, and one ClientAPIExecutor for both modes. */
const main: JobTarget = {
  serverWidgets: [jsonGenerator, modelSelector, metricsArtifactWriter],
  clientWidgets: [eventToFed],
  inProcess: { cls: C.ClientAPIExecutor, values: { execution_mode: 'in_process' } },
  externalProcess: {
    kind: 'command',
    executor: {
      cls: C.ClientAPIExecutor,
      values: {
        execution_mode: 'external_process',
        launch_once: true,
        launch_timeout: 300,
        shutdown_timeout: 0,
      },
    },
  },
}

/** The job table: one entry per target version. */
export const JOB_TARGETS: Readonly<Record<NvflareVersion, JobTarget>> = {
  '2.7': v27,
  '2.8': v28,
  '2.9': main,
}
