import { ProvisionError } from '../../errors.js'
import { type BuilderFactory, defineBuilder } from '../builder.js'
import type { ProvisionContext } from '../context.js'
import { Layout } from '../layout.js'
import type {
  AdminParticipant,
  ClientParticipant,
  Participant,
  RelayParticipant,
  ServerParticipant,
} from '../project/types.js'
import { kitTable } from '../targets/kit-table.js'
import {
  commConfigJson,
  fedAdminJson,
  fedClientJson,
  fedRelayJson,
  fedServerJson,
  relayResourcesJson,
  type StaticArgs,
  studyRegistryJson,
} from './kit-configs.js'
import { writeLocalDefaults } from './local-configs.js'
import { writeReadme, writeScripts, writeStartAll } from './static-scripts.js'

const json = (value: object) => `${JSON.stringify(value, null, 2)}\n`

function buildServer(ctx: ProvisionContext, s: ServerParticipant, args: StaticArgs): void {
  ctx.writeFile(
    `${s.name}/${Layout.startup}/${Layout.fedServer}`,
    json(fedServerJson(ctx.project, args, kitTable(ctx.target))),
  )
  writeScripts(ctx, s, args)
  writeLocalDefaults(ctx, s, args)
  const registry = studyRegistryJson(ctx.project)
  if (registry) ctx.writeFile(`${s.name}/${Layout.local}/${Layout.studyRegistry}`, json(registry))
  writeReadme(ctx, s)
}

function buildClient(ctx: ProvisionContext, c: ClientParticipant, args: StaticArgs): void {
  ctx.writeFile(
    `${c.name}/${Layout.startup}/${Layout.fedClient}`,
    json(fedClientJson(ctx.project, c, args, kitTable(ctx.target))),
  )
  writeScripts(ctx, c, args)
  writeLocalDefaults(ctx, c, args)
  const relay = relayResourcesJson(ctx.project, c, args)
  if (relay) ctx.writeFile(`${c.name}/${Layout.local}/relay__resources.json`, json(relay))
  writeCommConfig(ctx, c)
  writeReadme(ctx, c)
}

function buildAdmin(ctx: ProvisionContext, a: AdminParticipant, args: StaticArgs): void {
  ctx.writeFile(`${a.name}/${Layout.startup}/${Layout.fedAdmin}`, json(fedAdminJson(ctx.project, a, args)))
  writeScripts(ctx, a, args)
  writeLocalDefaults(ctx, a, args)
  writeReadme(ctx, a)
}

function buildRelay(ctx: ProvisionContext, r: RelayParticipant, args: StaticArgs): void {
  ctx.writeFile(`${r.name}/${Layout.startup}/${Layout.fedRelay}`, json(fedRelayJson(ctx.project, r, args)))
  writeScripts(ctx, r, args)
  writeLocalDefaults(ctx, r, args)
  writeCommConfig(ctx, r)
  writeReadme(ctx, r)
}

function writeCommConfig(ctx: ProvisionContext, p: ClientParticipant | RelayParticipant): void {
  const config = commConfigJson(p)
  if (config) ctx.writeFile(`${p.name}/${Layout.local}/${Layout.commConfig}`, json(config))
}

function buildAll(ctx: ProvisionContext, args: StaticArgs): void {
  const { project } = ctx
  buildServer(ctx, project.server, args)
  for (const r of project.relays) buildRelay(ctx, r, args)
  for (const c of project.clients) buildClient(ctx, c, args)
  for (const a of project.admins) buildAdmin(ctx, a, args)
  for (const p of project.participants) {
    ctx.emit({ type: 'kit-written', name: p.name, kind: p.type, dir: ctx.kitDir(p) })
  }
  if (ctx.options.genScripts) writeStartAll(ctx)
}

/**
 * The static files of one participant's kit, as the central run writes them (used by the distributed
 * flow's approve, which builds one kit).
 */
export function buildKitFiles(ctx: ProvisionContext, p: Participant, args: StaticArgs): void {
  if (p.type === 'server') buildServer(ctx, p, args)
  else if (p.type === 'relay') buildRelay(ctx, p, args)
  else if (p.type === 'client') buildClient(ctx, p, args)
  else buildAdmin(ctx, p, args)
}

/** Reads the StaticFileBuilder arguments NVFlare defines; the ones we do not use are ignored. */
export function parseStaticArgs(args: Readonly<Record<string, unknown>>): StaticArgs {
  const text = (key: string, fallback: string): string => {
    const value = args[key]
    if (value === undefined || value === null || value === '') return fallback
    if (typeof value !== 'string') {
      throw new ProvisionError(
        'builder-args',
        `static files builder: ${key} must be a string, got ${JSON.stringify(value)}`,
      )
    }
    return value
  }
  return {
    configFolder: text('config_folder', 'config'),
    scheme: text('scheme', 'http'),
    downloadJobUrl: text('download_job_url', 'http://download.server.com/'),
  }
}

export const staticFilesBuilderFactory: BuilderFactory = defineBuilder({
  id: 'static',
  nvflarePaths: ['nvflare.lighter.impl.static_file.StaticFileBuilder'],
  phase: 20,
  description: 'fed_*.json, start/stop scripts, readme.txt and local/ defaults of every kit',
  requires: ['kit-folders'],
  provides: ['kit-configs'],
  create(raw) {
    const args = parseStaticArgs(raw)
    return { name: 'static', build: (ctx) => buildAll(ctx, args) }
  },
})
