import type { ProvisionContext } from '../context.js'
import { Layout } from '../layout.js'
import type { PyJson } from '../pki/py-json.js'
import type { ClientParticipant, Participant } from '../project/types.js'
import { GPU_RESOURCE_MANAGER, type KitComponent, type KitTable, kitTable } from '../targets/kit-table.js'
import { renderTemplate } from '../templates.js'
import type { StaticArgs } from './kit-configs.js'

/**
 * local/ defaults of every kit, from the files in src/provision/templates/local: the text common to every
 * NVFlare version is the template, the parts that differ come from the target's KitTable.
 */

type Values = Record<string, string | number | boolean>

/** `value` as JSON indented by `step`, its lines after the first shifted by `pad` (to sit inside a template). */
export function jsonAt(value: PyJson, pad: string, step: number): string {
  return JSON.stringify(value, null, step).replaceAll('\n', `\n${pad}`)
}

/** `, "key": value` members to follow a template's last member (nothing when `members` is empty). */
export function jsonMembers(members: Readonly<Record<string, PyJson>>, pad: string, step: number): string {
  return Object.entries(members)
    .map(([key, value]) => `,\n${pad}${JSON.stringify(key)}: ${jsonAt(value, pad, step)}`)
    .join('')
}

function allowListMembers(t: KitTable): Record<string, PyJson> {
  const list = t.classAllowList
  return list ? { class_list_enforcement_mode: list.mode, class_allow_list: [...list.classes] } : {}
}

function components(list: readonly KitComponent[]): PyJson {
  return list.map((c) => ({ id: c.id, path: c.path, ...(c.args ? { args: { ...c.args } } : {}) }))
}

export function serverResourcesValues(ctx: ProvisionContext, args: StaticArgs): Values {
  const t = kitTable(ctx.target)
  return {
    allow_list: jsonMembers(allowListMembers(t), '    ', 4),
    download_job_url: JSON.stringify(args.downloadJobUrl),
    // NVFlare's default of 100 would turn away the 101st client of a larger federation.
    max_num_clients: Math.max(100, ctx.project.clients.length),
    components: jsonAt(components(t.serverComponents), '    ', 4),
  }
}

export function clientResourcesValues(ctx: ProvisionContext, c: ClientParticipant): Values {
  const t = kitTable(ctx.target)
  if (!t.client.allowLogStreaming && c.allowLogStreaming !== undefined) {
    ctx.emit({
      type: 'warning',
      message: `${c.name}: allow_log_streaming is ignored: NVFlare ${t.version} has no log streaming`,
    })
  }
  const streaming: Record<string, PyJson> = t.client.allowLogStreaming
    ? { allow_log_streaming: c.allowLogStreaming ?? true }
    : {}
  const manager = {
    id: 'resource_manager',
    path: GPU_RESOURCE_MANAGER,
    args: { num_of_gpus: c.numOfGpus, mem_per_gpu_in_GiB: c.memPerGpuInGiB, ...t.client.resourceManagerArgs },
  }
  return {
    version_keys: jsonMembers({ ...allowListMembers(t), ...streaming }, '  ', 2),
    components: jsonAt(components([manager, ...t.client.components]), '  ', 2),
  }
}

/** Writes local/: resources, log config, authorization and privacy defaults of the participant's kind. */
export function writeLocalDefaults(ctx: ProvisionContext, p: Participant, args: StaticArgs): void {
  const local = `${p.name}/${Layout.local}`
  const copy = (template: string, file: string, values: Values = {}) =>
    ctx.writeFile(`${local}/${file}`, renderTemplate(`local/${template}`, values))
  if (p.type === 'admin') {
    copy('admin_resources.json.tmpl', 'resources.json.default')
    return
  }
  const t = kitTable(ctx.target)
  copy('log_config.json.tmpl', 'log_config.json.default', { error_log_file: JSON.stringify(t.errorLogFile) })
  if (p.type === 'relay') return
  const rolePermissions = jsonMembers(t.rolePermissions, '      ', 2)
  copy('authorization.json.tmpl', 'authorization.json.default', { role_permissions: rolePermissions })
  copy('privacy.json.tmpl', 'privacy.json.sample')
  if (p.type === 'server') {
    copy('server_resources.json.tmpl', 'resources.json.default', serverResourcesValues(ctx, args))
  } else {
    copy('client_resources.json.tmpl', 'resources.json.default', clientResourcesValues(ctx, p))
  }
}
