import type { ProvisionContext } from '../context.js'
import { KIT_KINDS } from '../kit-kinds.js'
import { FileMode, Layout } from '../layout.js'
import { relaysByDepth } from '../project/hierarchy.js'
import type { Participant, Project } from '../project/types.js'
import { renderTemplate } from '../templates.js'
import { type StaticArgs, serverTarget } from './kit-configs.js'

/** Scripts and readme of each kit kind, from the files in src/provision/templates. */

const MODULES = {
  server: 'nvflare.private.fed.app.server.server_train',
  client: 'nvflare.private.fed.app.client.client_train',
  relay: 'nvflare.private.fed.app.relay.relay',
  admin: 'nvflare.fuel.hci.tools.admin',
} as const

/** Where start.sh sends everything the supervisor and the FLARE process print, in the kit folder. */
export const CONSOLE_LOG = 'console_log.txt'

/** Characters that need no quoting in a shell word (the set Python's `shlex.quote` leaves bare). */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/

/**
 * `value` as one shell word that the shell takes literally, as Python's `shlex.quote`: bare when it is made
 * of safe characters only, else in single quotes (a `'` inside becomes `'\''`). Every value that reaches a
 * script goes through here, whatever validation came before it.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0'))
    throw new Error(`a NUL byte cannot be passed to a shell script: ${JSON.stringify(value)}`)
  if (SHELL_SAFE.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * Fills a script template. Every value is shell-quoted, so templates place `{{key}}` where a word goes;
 * `fragments` are pieces of shell text built here from quoted values.
 */
function renderScript(
  template: string,
  values: Readonly<Record<string, string>>,
  fragments: Readonly<Record<string, string>> = {},
): string {
  const quoted: Record<string, string> = { ...fragments }
  for (const [key, value] of Object.entries(values)) quoted[key] = shellQuote(value)
  return renderTemplate(template, quoted)
}

/** The scripts of a kit's startup/ folder, by file name (fl_admin.sh for an admin; else start, sub_start, stop). */
export function kitScripts(p: Participant, configFolder: string): Record<string, string> {
  const common = { name: p.name, module: MODULES[p.type], fed_json: KIT_KINDS[p.type].fedConfig }
  if (p.type === 'admin') return { 'fl_admin.sh': renderScript('fl_admin.sh', common) }
  const values = {
    ...common,
    kind: p.type,
    config_folder: configFolder,
    org: p.org,
    console_log: CONSOLE_LOG,
  }
  return {
    'start.sh': renderScript('start.sh', values),
    'sub_start.sh': renderScript('sub_start.sh', values, {
      uid_arg: p.type === 'server' ? '' : ` uid=${shellQuote(p.name)}`,
    }),
    'stop_fl.sh': renderScript('stop_fl.sh', values),
  }
}

export function writeScripts(ctx: ProvisionContext, p: Participant, args: StaticArgs): void {
  for (const [file, text] of Object.entries(kitScripts(p, args.configFolder))) {
    ctx.writeFile(`${p.name}/${Layout.startup}/${file}`, text, FileMode.script)
  }
}

/** readme.txt of a kit (for admins inside startup/, as NVFlare places it). */
export function writeReadme(ctx: ProvisionContext, p: Participant): void {
  const { project } = ctx
  const he = project.builders.some((b) => b.id === 'he')
  const base = { name: p.name, org: p.org, project: project.name, console_log: CONSOLE_LOG }
  const file =
    p.type === 'admin' ? `${p.name}/${Layout.startup}/${Layout.readme}` : `${p.name}/${Layout.readme}`
  ctx.writeFile(file, renderTemplate(`readme-${p.type}.txt`, { ...base, ...readmeValues(project, p, he) }))
}

function readmeValues(project: Project, p: Participant, he: boolean): Record<string, string | number> {
  switch (p.type) {
    case 'server':
      return {
        port: p.fedLearnPort,
        host: p.defaultHost,
        he_line: he ? `, ${Layout.serverContext} (HE, no secret key)` : '',
      }
    case 'client': {
      const t = serverTarget(project, p, project.server.fedLearnPort)
      return {
        target: p.relay ? `relay ${p.relay}` : `${t.host}:${t.port}`,
        he_line: he ? `, ${Layout.clientContext} (HE)` : '',
        he_secret: he ? ` and ${Layout.clientContext} (it holds the federation's HE secret key)` : '',
      }
    }
    case 'admin': {
      const t = serverTarget(project, p, project.server.adminPort)
      return { role: p.role, target: `${t.host}:${t.port}` }
    }
    case 'relay': {
      const lh = p.listeningHost
      return { listen: lh ? `${lh.host}:${lh.port ?? 'default port'}` : 'not set' }
    }
  }
}

/**
 * `start_all.sh` for a server, its relays (parents first) and its clients: the lines that call each kit's
 * start.sh, with the kit names shell-quoted.
 */
export function startAllScript(
  server: string,
  relays: readonly string[],
  clients: readonly string[],
): string {
  const line = (fn: string, name: string) => `${fn} "$DIR"/${shellQuote(name)}/startup/start.sh\n`
  return renderTemplate('start_all.sh', {
    server_line: line('start_kit', server),
    relay_lines: relays.map((r) => line('start_kit', r)).join(''),
    client_lines: clients.map((c) => line('start_client', c)).join(''),
  })
}

/** `start_all.sh` at the top of prod_NN (`-s`): server, relays (parents first), clients. */
export function writeStartAll(ctx: ProvisionContext): void {
  const { project } = ctx
  const relays = relaysByDepth(project).map((r) => r.name)
  const text = startAllScript(
    project.server.name,
    relays,
    project.clients.map((c) => c.name),
  )
  ctx.writeFile(Layout.startAll, text, FileMode.script)
}
