import { JOB_TARGETS, type JobWidget } from '../provision/targets/job.js'
import * as C from '../provision/targets/job-classes.js'
import type { Component, JsonValue } from './job/component.js'
import { makeComponent } from './job/component.js'
import type { ClientAppConfig, FilterChain, JobDefinition, ServerAppConfig } from './job/job-config.js'
import { shlexSplit } from './job/shlex.js'
import type { FedAvgRecipeWithHEResolved } from './resolve.js'

/** The id NVFlare's HE recipe gives the serialize filter the persistor refers to. */
const SERIALIZE_FILTER_ID = 'model_serialize_filter'

/**
 * Assembles the job NVFlare's FedAvgRecipeWithHE builds for the target version (JOB_TARGETS): the BaseFedJob
 * widgets, a PyTorch persistor and locator (when there is a model or checkpoint) with the HE serialize
 * filter, the HE shareable generator and aggregator, ScatterAndGather, and on clients the Client API
 * executor with HE decrypt/encrypt filters.
 */
export function buildFedAvgHeJob(o: FedAvgRecipeWithHEResolved): JobDefinition {
  return {
    name: o.name,
    nvflareVersion: o.nvflareVersion,
    minClients: o.minClients,
    server: serverApp(o),
    client: clientApp(o),
    customFiles: [...o.customFiles],
  }
}

const widget = (w: JobWidget) => makeComponent(w.cls, w.values, w.id)

function serverApp(o: FedAvgRecipeWithHEResolved): ServerAppConfig {
  const hasModel = o.model !== undefined || o.initialCkpt !== undefined
  const components: Component[] = JOB_TARGETS[o.nvflareVersion].serverWidgets.map(widget)
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

function aggregator(o: FedAvgRecipeWithHEResolved): Component {
  if (o.aggregator) return { id: 'aggregator', path: o.aggregator.path, args: { ...o.aggregator.args } }
  const args = { expected_data_kind: o.aggregatorDataKind, weigh_by_local_iter: false }
  return makeComponent(C.HEInTimeAccumulateWeightedAggregator, args, 'aggregator')
}

function clientApp(o: FedAvgRecipeWithHEResolved): ClientAppConfig {
  const decrypt: FilterChain = {
    tasks: ['train', 'validate'],
    filters: [makeComponent(C.HEModelDecryptor, { data_kinds: C.HE_DATA_KINDS })],
  }
  const runner = scriptRunner(o)
  return {
    executors: [{ tasks: ['*'], executor: runner.executor }],
    components: [...JOB_TARGETS[o.nvflareVersion].clientWidgets.map(widget), ...runner.components],
    taskDataFilters: [decrypt],
    taskResultFilters: [
      { tasks: ['train'], filters: [encryptor(o, true)] },
      { tasks: ['submit_model'], filters: [encryptor(o, false)] },
    ],
  }
}

function encryptor(o: FedAvgRecipeWithHEResolved, weighByLocalIter: boolean): Component {
  return makeComponent(C.HEModelEncryptor, {
    encrypt_layers: o.encryptLayers,
    aggregation_weights: {},
    weigh_by_local_iter: weighByLocalIter,
    data_kinds: C.HE_DATA_KINDS,
  })
}

/**
 * What ScriptRunner(framework=PYTORCH) adds to a client for the target version: the in-process executor,
 * or the external-process one with the components its form needs (JOB_TARGETS).
 */
function scriptRunner(o: FedAvgRecipeWithHEResolved): { executor: Component; components: Component[] } {
  const target = JOB_TARGETS[o.nvflareVersion]
  const common = {
    params_exchange_format: 'pytorch',
    server_expected_format: o.serverExpectedFormat,
    params_transfer_type: o.paramsTransferType,
    memory_gc_rounds: o.clientMemoryGcRounds,
    cuda_empty_cache: o.cudaEmptyCache,
  }
  const script = o.trainScript.target
  if (!o.launchExternalProcess) {
    const values = { ...target.inProcess.values, task_script_path: script, task_script_args: o.trainArgs }
    return { executor: makeComponent(target.inProcess.cls, { ...values, ...common }), components: [] }
  }
  const form = target.externalProcess
  if (form.kind === 'command') {
    const command = [...shlexSplit(o.command), `custom/${script}`, ...shlexSplit(o.trainArgs)]
    const values = { ...form.executor.values, command, ...common }
    return { executor: makeComponent(form.executor.cls, values), components: [] }
  }
  const executor = makeComponent(form.executor.cls, { ...form.executor.values, ...common })
  // ScriptRunner's one command line: `command + " custom/" + script + " " + script_args`.
  const line = `${o.command} custom/${script} ${o.trainArgs}`
  const components = form.components.map((w) =>
    w.id === form.launcherId ? makeComponent(w.cls, { ...w.values, script: line }, w.id) : widget(w),
  )
  return { executor, components }
}
