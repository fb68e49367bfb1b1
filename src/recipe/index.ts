export { inspectKits, type KitsInspection } from './envs/inspect-kits.js'
export { chooseJobTarget, type JobTargetChoice, type TargetSource } from './envs/kit-target.js'
export {
  type PocKitStatus,
  type PocStatus,
  pocStatus,
  resolvePocDir,
  type StartPocOptions,
  type StopPocResult,
  startPoc,
  stopPoc,
} from './envs/poc-control.js'
export { PocEnv, type PocEnvOptions, pocProjectYaml } from './envs/poc-env.js'
export { ProdEnv, type ProdEnvOptions, submitCommand } from './envs/prod-env.js'
export {
  type PhaseTime,
  RUN_PHASES,
  type RunControl,
  type RunEvent,
  type RunEventSink,
  type RunPhase,
} from './envs/runtime/events.js'
export { DEFAULT_TIMEOUTS, type RunTimeouts } from './envs/runtime/timeouts.js'
export {
  type CheckRuntimeOptions,
  checkRuntime,
  type NvflareRuntime,
  probeNvflare,
  type RuntimeCheck,
  type RuntimeProbe,
} from './envs/runtime.js'
export { SimEnv, type SimEnvOptions } from './envs/sim-env.js'
export { FedAvgRecipeWithHE, HE_SIM_ENV_NOT_SUPPORTED } from './fedavg-he.js'
export type { Component, ComponentClass, JsonValue } from './job/component.js'
export { makeComponent, REQUIRED } from './job/component.js'
export type { JobDefinition } from './job/job-config.js'
export { writeJob } from './job/write-job.js'
export type { AggregatorInput, FedAvgRecipeWithHEOptions, ModelInput } from './options.js'
export type { FedAvgRecipeWithHEResolved, ResolvedOptions } from './resolve.js'
export type { ExecEnv, ExecResult, ExportResult, JobRun, KitCheck, Recipe, RunLogs } from './spec.js'
