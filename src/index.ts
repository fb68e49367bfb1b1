/**
 * fedforge's library API (`import … from 'fedforge'`): re-exports only, each documented where it is
 * declared. Importing it loads no CLI code, starts no worker and never loads node-seal: HE code loads
 * on first use. Nothing here prints or exits; user-fixable failures are thrown as ProvisionError.
 */

// Errors and exit codes
export {
  ExitCode,
  type ExitCodeValue,
  isProvisionError,
  PROVISION_ERROR_CODES,
  ProvisionError,
  type ProvisionErrorCode,
  type ProvisionErrorOptions,
} from './errors.js'
// Reading .tenseal files (HE contexts and CKKS vectors)
export type { BlobInfo, CkksVectorInfo, TensealContextInfo, TensealInfo } from './he-builder/inspect.js'
export { MAX_TENSEAL_BYTES, type ReadTensealOptions, readTenseal } from './he-builder/read-tenseal.js'
// Provisioning: projects, the request and its result, progress events, NVFlare target versions
export type { HeSummary, ProvisionOptions } from './provision/context.js'
// Distributed provisioning (request → approve → package): its own curated list, see that file
export * from './provision/distributed/index.js'
export type { EventSink, ProvisionEvent } from './provision/events.js'
export {
  DEFAULT_KEY_METHOD,
  KEY_METHODS,
  type KeyMethod,
  type KeySource,
} from './provision/pki/key-source.js'
export { loadProject, loadProjectFile, type ProjectExtras } from './provision/project/load.js'
export type { ProjectFile } from './provision/project/schema.js'
export type {
  AdminParticipant,
  BuilderSpec,
  ClientParticipant,
  ConnectionSecurity,
  ConnectTo,
  ListeningHost,
  Participant,
  ParticipantType,
  Project,
  RelayParticipant,
  ServerParticipant,
  SourcePos,
  Study,
} from './provision/project/types.js'
export { type ProvisionRequest, type ProvisionResult, provision } from './provision/provisioner.js'
export type { RunTarget, TargetSource } from './provision/targets/state-target.js'
export {
  DEFAULT_NVFLARE_VERSION,
  isNvflareVersion,
  NVFLARE_VERSIONS,
  type NvflareVersion,
  parseNvflareVersion,
} from './provision/targets/version.js'
// Verifying kits
export type { Check, CheckStatus, KitReport, VerifyOptions } from './provision/verify/types.js'
export { verifyKit } from './provision/verify/verify-kit.js'
// The HE FedAvg recipe, its options and job model, and the environments that take its job
export type { KitsInspection } from './recipe/envs/inspect-kits.js'
export {
  type PocKitStatus,
  type PocStatus,
  pocStatus,
  type StartPocOptions,
  type StopPocResult,
  startPoc,
  stopPoc,
} from './recipe/envs/poc-control.js'
export { PocEnv, type PocEnvOptions } from './recipe/envs/poc-env.js'
export { ProdEnv, type ProdEnvOptions } from './recipe/envs/prod-env.js'
export type { PhaseTime, RunControl, RunEvent, RunEventSink, RunPhase } from './recipe/envs/runtime/events.js'
export { DEFAULT_TIMEOUTS, type RunTimeouts } from './recipe/envs/runtime/timeouts.js'
export {
  type NvflareRuntime,
  type ProbeOptions,
  probeNvflare,
  type RuntimeProbe,
} from './recipe/envs/runtime.js'
export { SimEnv, type SimEnvOptions } from './recipe/envs/sim-env.js'
export { FedAvgRecipeWithHE } from './recipe/fedavg-he.js'
export type { Component, JsonValue } from './recipe/job/component.js'
export type {
  ClientAppConfig,
  CustomFile,
  ExecutorEntry,
  FilterChain,
  JobDefinition,
  ServerAppConfig,
} from './recipe/job/job-config.js'
export type {
  AggregatorInput,
  DataKind,
  ExchangeFormat,
  FedAvgRecipeWithHEOptions,
  ModelInput,
  TransferType,
} from './recipe/options.js'
export type { FedAvgRecipeWithHEResolved, ResolvedOptions } from './recipe/resolve.js'
export type {
  ExecEnv,
  ExecEnvKind,
  ExecResult,
  ExportResult,
  JobRun,
  KitCheck,
  Recipe,
} from './recipe/spec.js'
