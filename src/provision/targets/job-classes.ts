import { type ComponentClass, REQUIRED } from './job-class.js'

/**
 * The NVFlare classes an HE FedAvg job uses, with their constructor defaults (NVFlare 2.7, 2.8.1 and main
 * sources; the defaults are the same wherever a class exists). Which version has which class is in the
 * generated class lists (classes.ts); which version's jobs use which is in job.ts. Only parameters a recipe
 * may set need to be listed; order is the constructor's.
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

/** NVFlare 2.7 and 2.8's in-process executor for PyTorch scripts (ScriptRunner, framework PYTORCH). */
export const PTInProcessClientAPIExecutor: ComponentClass = {
  path: 'nvflare.app_opt.pt.in_process_client_api_executor.PTInProcessClientAPIExecutor',
  params: {
    task_script_path: REQUIRED,
    task_script_args: '',
    task_wait_time: null,
    result_pull_interval: 0.5,
    log_pull_interval: null,
    params_transfer_type: 'FULL',
    from_nvflare_converter_id: null,
    to_nvflare_converter_id: null,
    train_with_evaluation: true,
    train_task_name: 'train',
    evaluate_task_name: 'validate',
    submit_model_task_name: 'submit_model',
    params_exchange_format: 'pytorch',
    server_expected_format: 'numpy',
    memory_gc_rounds: 0,
    cuda_empty_cache: false,
  },
}

/** NVFlare main's (2.9's) one Client API executor, in-process or external-process. */
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

/**
 * NVFlare 2.7 and 2.8's executor for a PyTorch script in its own process (with a pipe and a launcher).
 * `max_resends` is written by both versions' exporters (2.7 stores None where the signature says 3; 2.8
 * always serializes it), so it is modeled as always written.
 */
export const PTClientAPILauncherExecutor: ComponentClass = {
  path: 'nvflare.app_opt.pt.client_api_launcher_executor.PTClientAPILauncherExecutor',
  params: {
    pipe_id: REQUIRED,
    launcher_id: null,
    server_expected_format: 'numpy',
    params_exchange_format: 'pytorch',
    params_transfer_type: 'FULL',
    memory_gc_rounds: 0,
    cuda_empty_cache: false,
    max_resends: REQUIRED,
  },
}

export const SubprocessLauncher: ComponentClass = {
  path: 'nvflare.app_common.launchers.subprocess_launcher.SubprocessLauncher',
  params: { script: REQUIRED, launch_once: true, clean_up_script: null, shutdown_timeout: 0 },
}

export const CellPipe: ComponentClass = {
  path: 'nvflare.fuel.utils.pipe.cell_pipe.CellPipe',
  params: {
    mode: REQUIRED,
    site_name: REQUIRED,
    token: REQUIRED,
    root_url: '',
    secure_mode: true,
    workspace_dir: '',
  },
}

export const MetricRelay: ComponentClass = {
  path: 'nvflare.app_common.widgets.metric_relay.MetricRelay',
  params: {
    pipe_id: REQUIRED,
    read_interval: 0.1,
    heartbeat_interval: 5,
    heartbeat_timeout: 60,
    pipe_channel_name: 'metric',
    event_type: 'analytix_log_stats',
    fed_event: true,
  },
}

export const ExternalConfigurator: ComponentClass = {
  path: 'nvflare.app_common.widgets.external_configurator.ExternalConfigurator',
  params: { component_ids: REQUIRED, config_file_name: 'client_api_config.json' },
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
