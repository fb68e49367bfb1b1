import type { ProvisionContext } from '../context.js'
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
} as const

const FED_JSON = { server: Layout.fedServer, client: Layout.fedClient, relay: Layout.fedRelay } as const

export function writeScripts(ctx: ProvisionContext, p: Participant, args: StaticArgs): void {
  const startup = `${p.name}/${Layout.startup}`
  if (p.type === 'admin') {
    ctx.writeFile(`${startup}/fl_admin.sh`, renderTemplate('fl_admin.sh', { name: p.name }), FileMode.script)
    return
  }
  const values = {
    kind: p.type,
    name: p.name,
    module: MODULES[p.type],
    fed_json: FED_JSON[p.type],
    config_folder: args.configFolder,
    org: p.org,
    uid_arg: p.type === 'server' ? '' : ` uid=${p.name}`,
  }
  for (const script of ['start.sh', 'sub_start.sh', 'stop_fl.sh']) {
    ctx.writeFile(`${startup}/${script}`, renderTemplate(script, values), FileMode.script)
  }
}

/** readme.txt of a kit (for admins inside startup/, as NVFlare places it). */
export function writeReadme(ctx: ProvisionContext, p: Participant): void {
  const { project } = ctx
  const he = project.builders.some((b) => b.id === 'he')
  const base = { name: p.name, org: p.org, project: project.name }
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

/** `start_all.sh` at the top of prod_NN (`-s`): server, relays (parents first), clients. */
export function writeStartAll(ctx: ProvisionContext): void {
  const { project } = ctx
  const line = (name: string) => `"$DIR/${name}/startup/start.sh"\n`
  const text = renderTemplate('start_all.sh', {
    server: project.server.name,
    relay_lines: relaysByDepth(project)
      .map((r) => line(r.name))
      .join(''),
    client_lines: project.clients.map((c) => line(c.name)).join(''),
  })
  ctx.writeFile(Layout.startAll, text, FileMode.script)
}
