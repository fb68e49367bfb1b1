import { type ComponentClass, REQUIRED } from './component.js'

/**
 * The NVFlare classes an HE FedAvg job uses, with their constructor defaults (NVFlare 2.7/2.8 sources).
 * Only parameters a recipe may set need to be listed; order is the constructor's.
 */

export const ScatterAndGather: ComponentClass = {
  path: 'nvflare.app_common.workflows.scatter_and_gather.ScatterAndGather',
  params: {
    min_clients: 1000,
    num_rounds: 5,
    start_round: 0,
    wait_time_after_min_received: 10,
    aggregator_id: 'aggregator',
    persistor_id: '',
    shareable_generator_id: 'shareable_generator',
    train_task_name: 'train',
    train_timeout: 0,
    ignore_result_error: null,
    allow_empty_global_weights: false,
    task_check_period: 0.5,
    persist_every_n_rounds: 1,
    snapshot_every_n_rounds: 1,
    memory_gc_rounds: 1,
  },
}

export const ValidationJsonGenerator: ComponentClass = {
  path: 'nvflare.app_common.widgets.validation_json_generator.ValidationJsonGenerator',
  params: { results_dir: 'cross_site_val', json_file_name: 'cross_val_results.json' },
}

export const IntimeModelSelector: ComponentClass = {
  path: 'nvflare.app_common.widgets.intime_model_selector.IntimeModelSelector',
  params: {
    weigh_by_local_iter: false,
    aggregation_weights: null,
    key_metric: 'val_accuracy',
    negate_key_metric: false,
  },
}

export const MetricsArtifactWriter: ComponentClass = {
  path: 'nvflare.app_common.widgets.metrics_artifact_writer.MetricsArtifactWriter',
  params: {},
}

export const ConvertToFedEvent: ComponentClass = {
  path: 'nvflare.app_common.widgets.convert_to_fed_event.ConvertToFedEvent',
  params: { events_to_convert: REQUIRED, fed_event_prefix: 'fed.' },
}

export const PTFileModelPersistor: ComponentClass = {
  path: 'nvflare.app_opt.pt.file_model_persistor.PTFileModelPersistor',
  params: {
    exclude_vars: null,
    model: null,
    global_model_file_name: 'FL_global_model.pt',
    best_global_model_file_name: 'best_FL_global_model.pt',
    source_ckpt_file_full_name: null,
    filter_id: null,
  },
}

export const PTFileModelLocator: ComponentClass = {
  path: 'nvflare.app_opt.pt.file_model_locator.PTFileModelLocator',
  params: { pt_persistor_id: REQUIRED },
}

export const HEModelSerializeFilter: ComponentClass = {
  path: 'nvflare.app_opt.he.model_serialize_filter.HEModelSerializeFilter',
  params: {},
}

export const HEModelShareableGenerator: ComponentClass = {
  path: 'nvflare.app_opt.he.model_shareable_generator.HEModelShareableGenerator',
  params: { tenseal_context_file: 'server_context.tenseal' },
}

export const HEInTimeAccumulateWeightedAggregator: ComponentClass = {
  path: 'nvflare.app_opt.he.intime_accumulate_model_aggregator.HEInTimeAccumulateWeightedAggregator',
  params: {
    exclude_vars: null,
    aggregation_weights: null,
    expected_data_kind: 'WEIGHT_DIFF',
    weigh_by_local_iter: false,
  },
}

export const ClientAPIExecutor: ComponentClass = {
  path: 'nvflare.app_common.executors.client_api_executor.ClientAPIExecutor',
  params: {
    execution_mode: REQUIRED,
    command: null,
    task_script_path: null,
    task_script_args: '',
    launch_once: true,
    launch_timeout: 300,
    shutdown_timeout: null,
    params_exchange_format: 'raw',
    server_expected_format: 'numpy',
    params_transfer_type: 'FULL',
    memory_gc_rounds: 0,
    cuda_empty_cache: false,
  },
}

/** HEModelDecryptor and HEModelEncryptor store `data_kinds or [WEIGHT_DIFF, WEIGHTS]` (so it is written). */
export const HE_DATA_KINDS = ['WEIGHT_DIFF', 'WEIGHTS']

export const HEModelDecryptor: ComponentClass = {
  path: 'nvflare.app_opt.he.model_decryptor.HEModelDecryptor',
  params: { tenseal_context_file: 'client_context.tenseal', data_kinds: null },
}

export const HEModelEncryptor: ComponentClass = {
  path: 'nvflare.app_opt.he.model_encryptor.HEModelEncryptor',
  params: {
    tenseal_context_file: 'client_context.tenseal',
    encrypt_layers: null,
    aggregation_weights: null,
    weigh_by_local_iter: true,
    data_kinds: null,
  },
}

/** The aggregators known to work on HE ciphertexts. */
export const HE_AGGREGATOR_PATHS: readonly string[] = [HEInTimeAccumulateWeightedAggregator.path]
