import type { Component, JsonValue } from './job/component.js'
import { makeComponent } from './job/component.js'
import type {
  ClientAppConfig,
  CustomFile,
  FilterChain,
  JobDefinition,
  ServerAppConfig,
} from './job/job-config.js'
import * as C from './job/nvflare-classes.js'
import { shlexSplit } from './job/shlex.js'
import type { ResolvedOptions } from './resolve.js'

/** NVFlare's analytics event that clients turn into federated events (`analytix_log_stats`). */
const ANALYTIC_EVENT_TYPE = 'analytix_log_stats'
/** The id NVFlare's HE recipe gives the serialize filter the persistor refers to. */
const SERIALIZE_FILTER_ID = 'model_serialize_filter'

/**
 * Assembles the job NVFlare's FedAvgRecipeWithHE builds: the BaseFedJob widgets, a PyTorch persistor and
 * locator (when there is a model or checkpoint) with the HE serialize filter, the HE shareable generator
 * and aggregator, ScatterAndGather, and on clients the Client API executor with HE decrypt/encrypt filters.
 */
export function buildFedAvgHeJob(o: ResolvedOptions): JobDefinition {
  const customFiles: CustomFile[] = [o.trainScript]
  if (o.initialCkpt?.bundle) customFiles.push(o.initialCkpt.bundle)
  return { name: o.name, minClients: o.minClients, server: serverApp(o), client: clientApp(o), customFiles }
}

function serverApp(o: ResolvedOptions): ServerAppConfig {
  const hasModel = o.model !== undefined || o.initialCkpt !== undefined
  const components: Component[] = [
    makeComponent(C.ValidationJsonGenerator, {}, 'json_generator'),
    makeComponent(
      C.IntimeModelSelector,
      { aggregation_weights: {}, key_metric: 'accuracy' },
      'model_selector',
    ),
    makeComponent(C.MetricsArtifactWriter, {}, 'metrics_artifact_writer'),
  ]
  if (hasModel) {
    const model: JsonValue = o.model ? { path: o.model.path, args: o.model.args } : null
    const persistorArgs = {
      model,
      source_ckpt_file_full_name: o.initialCkpt?.value,
      filter_id: SERIALIZE_FILTER_ID,
    }
    components.push(makeComponent(C.PTFileModelPersistor, persistorArgs, 'persistor'))
    components.push(makeComponent(C.PTFileModelLocator, { pt_persistor_id: 'persistor' }, 'locator'))
    components.push(makeComponent(C.HEModelSerializeFilter, {}, SERIALIZE_FILTER_ID))
  }
  components.push(makeComponent(C.HEModelShareableGenerator, {}, 'shareable_generator'))
  components.push(aggregator(o))
  const controller = makeComponent(
    C.ScatterAndGather,
    {
      min_clients: o.minClients,
      num_rounds: o.numRounds,
      wait_time_after_min_received: 0,
      aggregator_id: 'aggregator',
      persistor_id: hasModel ? 'persistor' : '',
      shareable_generator_id: 'shareable_generator',
      memory_gc_rounds: o.serverMemoryGcRounds,
    },
    'controller',
  )
  return { workflows: [controller], components, taskDataFilters: [], taskResultFilters: [] }
}

function aggregator(o: ResolvedOptions): Component {
  if (o.aggregator) return { id: 'aggregator', path: o.aggregator.path, args: { ...o.aggregator.args } }
  const args = { expected_data_kind: o.aggregatorDataKind, weigh_by_local_iter: false }
  return makeComponent(C.HEInTimeAccumulateWeightedAggregator, args, 'aggregator')
}

function clientApp(o: ResolvedOptions): ClientAppConfig {
  const decrypt: FilterChain = {
    tasks: ['train', 'validate'],
    filters: [makeComponent(C.HEModelDecryptor, { data_kinds: C.HE_DATA_KINDS })],
  }
  return {
    executors: [{ tasks: ['*'], executor: executor(o) }],
    components: [
      makeComponent(C.ConvertToFedEvent, { events_to_convert: [ANALYTIC_EVENT_TYPE] }, 'event_to_fed'),
    ],
    taskDataFilters: [decrypt],
    taskResultFilters: [
      { tasks: ['train'], filters: [encryptor(o, true)] },
      { tasks: ['submit_model'], filters: [encryptor(o, false)] },
    ],
  }
}

function encryptor(o: ResolvedOptions, weighByLocalIter: boolean): Component {
  return makeComponent(C.HEModelEncryptor, {
    encrypt_layers: o.encryptLayers,
    aggregation_weights: {},
    weigh_by_local_iter: weighByLocalIter,
    data_kinds: C.HE_DATA_KINDS,
  })
}

/** ScriptRunner(framework=PYTORCH) → ClientAPIExecutor in in_process or external_process mode. */
function executor(o: ResolvedOptions): Component {
  const common = {
    params_exchange_format: 'pytorch',
    server_expected_format: o.serverExpectedFormat,
    params_transfer_type: o.paramsTransferType,
    memory_gc_rounds: o.clientMemoryGcRounds,
    cuda_empty_cache: o.cudaEmptyCache,
  }
  if (!o.launchExternalProcess) {
    const args = { task_script_path: o.trainScript.target, task_script_args: o.trainArgs, ...common }
    return makeComponent(C.ClientAPIExecutor, { execution_mode: 'in_process', ...args })
  }
  const command = [...shlexSplit(o.command), `custom/${o.trainScript.target}`, ...shlexSplit(o.trainArgs)]
  return makeComponent(C.ClientAPIExecutor, {
    execution_mode: 'external_process',
    command,
    launch_once: true,
    launch_timeout: 300,
    shutdown_timeout: 0,
    ...common,
  })
}
