import type { NvflareVersion } from '../../provision/targets/version.js'
import type { Component, JsonValue } from './component.js'

/** A filter chain: the filters applied to the data or results of some tasks. */
export interface FilterChain {
  tasks: string[]
  filters: Component[]
}

/** An executor and the tasks it runs (config_fed_client.json `executors`). */
export interface ExecutorEntry {
  tasks: string[]
  executor: Component
}

/** The server app: what config_fed_server.json holds. */
export interface ServerAppConfig {
  workflows: Component[]
  components: Component[]
  taskDataFilters: FilterChain[]
  taskResultFilters: FilterChain[]
}

/** The client app: what config_fed_client.json holds. */
export interface ClientAppConfig {
  executors: ExecutorEntry[]
  components: Component[]
  taskDataFilters: FilterChain[]
  taskResultFilters: FilterChain[]
}

/** A file bundled into `app/custom/`: where it comes from and its path inside custom/. */
export interface CustomFile {
  source: string
  target: string
}

/** An NVFlare job with one app deployed to every site (`deploy_map: {app: ["@ALL"]}`). */
export interface JobDefinition {
  name: string
  /** The NVFlare version the configs are written for. */
  nvflareVersion: NvflareVersion
  minClients: number
  server: ServerAppConfig
  client: ClientAppConfig
  customFiles: CustomFile[]
}

export function metaJson(job: JobDefinition): Record<string, JsonValue> {
  return { name: job.name, resource_spec: {}, min_clients: job.minClients, deploy_map: { app: ['@ALL'] } }
}

export function serverConfigJson(app: ServerAppConfig): Record<string, JsonValue> {
  return {
    format_version: 2,
    workflows: app.workflows.map(componentJson),
    components: app.components.map(componentJson),
    task_data_filters: app.taskDataFilters.map(chainJson),
    task_result_filters: app.taskResultFilters.map(chainJson),
  }
}

export function clientConfigJson(app: ClientAppConfig): Record<string, JsonValue> {
  return {
    format_version: 2,
    executors: app.executors.map((e) => ({ tasks: [...e.tasks], executor: componentJson(e.executor) })),
    components: app.components.map(componentJson),
    task_data_filters: app.taskDataFilters.map(chainJson),
    task_result_filters: app.taskResultFilters.map(chainJson),
  }
}

function componentJson(c: Component): Record<string, JsonValue> {
  return c.id === undefined ? { path: c.path, args: c.args } : { id: c.id, path: c.path, args: c.args }
}

function chainJson(chain: FilterChain): Record<string, JsonValue> {
  return { tasks: [...chain.tasks], filters: chain.filters.map(componentJson) }
}

/** JSON as NVFlare writes it (`json.dumps(indent=4)`, no trailing newline). */
export function formatJson(value: JsonValue): string {
  return JSON.stringify(value, null, 4)
}
