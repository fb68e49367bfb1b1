import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProvisionEvent } from '../../../src/provision/events.js'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { classStatus } from '../../../src/provision/targets/classes.js'
import { GPU_RESOURCE_MANAGER, kitTable } from '../../../src/provision/targets/kit-table.js'
import { NVFLARE_VERSIONS, type NvflareVersion } from '../../../src/provision/targets/version.js'
import { useTempDir } from '../../helpers/temp.js'

const PROJECT = (extra = '') => `
api_version: ${extra ? 4 : 3}
name: tables
participants:
  - {name: server.example.com, type: server, org: hub, fed_learn_port: 9000, admin_port: 9001}
  - {name: site-1, type: client, org: org_a, allow_log_streaming: false}
  - {name: site-2, type: client, org: org_a, connect_to: {host: fl.example.com, port: 9443}}
  - {name: admin@example.com, type: admin, org: hub, role: project_admin}
${extra}builders:
  - path: workspace
  - path: static
`

const STUDIES = `studies:
  cancer:
    site_orgs: {org_a: [site-1]}
    admins: [admin@example.com]
`

describe('the kit tables', () => {
  const tempDir = useTempDir()

  async function run(version: NvflareVersion, extra = '') {
    const events: ProvisionEvent[] = []
    const workspace = tempDir()
    const project = loadProject(PROJECT(extra))
    const result = await provision({
      project,
      workspace,
      nvflareVersion: version,
      onEvent: (e) => events.push(e),
    })
    const read = (rel: string) => JSON.parse(readFileSync(join(result.prodDir, rel), 'utf8'))
    return { result, read, events, workspace }
  }

  it.each(NVFLARE_VERSIONS)('every class the %s table names exists in that version', (version) => {
    const t = kitTable(version)
    const paths = [
      ...t.serverComponents.map((c) => c.path),
      ...t.client.components.map((c) => c.path),
      GPU_RESOURCE_MANAGER,
      ...(t.overseerAgent ? [t.overseerAgent] : []),
    ]
    expect(paths.filter((p) => classStatus(version, p) !== 'exists')).toEqual([])
  })

  it('2.7: the overseer agent carries the address each participant dials; fed_client.json has no target', async () => {
    const { read } = await run('2.7')
    const agent = 'nvflare.ha.dummy_overseer_agent.DummyOverseerAgent'
    expect(read('server.example.com/startup/fed_server.json').overseer_agent).toEqual({
      path: agent,
      args: { sp_end_point: 'server.example.com:9000:9001' },
    })
    const site2 = read('site-2/startup/fed_client.json')
    expect(site2.overseer_agent.args.sp_end_point).toBe('fl.example.com:9443:9001')
    expect(site2.servers[0].service).toEqual({ scheme: 'http' })
  })

  it('2.8: the client dials servers[0].service.target, and no overseer is named', async () => {
    const { read } = await run('2.8')
    const site2 = read('site-2/startup/fed_client.json')
    expect(site2.servers[0].service).toEqual({ target: 'fl.example.com:9443', scheme: 'http' })
    expect(site2).not.toHaveProperty('overseer_agent')
    expect(read('server.example.com/startup/fed_server.json')).not.toHaveProperty('overseer_agent')
  })

  it('allow_log_streaming: written as given from 2.8 on; on 2.7 left out, with a warning', async () => {
    const { read } = await run('2.8')
    expect(read('site-1/local/resources.json.default').allow_log_streaming).toBe(false)
    expect(read('site-2/local/resources.json.default').allow_log_streaming).toBe(true)
    const old = await run('2.7')
    expect(old.read('site-1/local/resources.json.default')).not.toHaveProperty('allow_log_streaming')
    expect(old.events).toContainEqual({
      type: 'warning',
      message: 'site-1: allow_log_streaming is ignored: NVFlare 2.7 has no log streaming',
    })
  })

  it('studies: a study registry from 2.8 on; target 2.7 is refused (exit 2) before anything is written', async () => {
    const { read } = await run('2.9', STUDIES)
    expect(read('server.example.com/local/study_registry.json').studies).toHaveProperty('cancer')
    const workspace = tempDir()
    const run27 = provision({ project: loadProject(PROJECT(STUDIES)), workspace, nvflareVersion: '2.7' })
    await expect(run27).rejects.toMatchObject({
      code: 'target-lacks-studies',
      exitCode: 2,
      message: expect.stringMatching(/^studies: NVFlare 2\.7 has no studies/),
      hint: expect.stringContaining('--nvflare-version 2.8 or 2.9'),
    })
    expect(existsSync(join(workspace, 'tables'))).toBe(false)
  })

  it('a library caller gets the flag check too: a patch release maps onto its line, other strings are refused', async () => {
    expect((await run('2.8.1' as NvflareVersion)).result.target.version).toBe('2.8')
    await expect(run('3.0' as NvflareVersion)).rejects.toMatchObject({
      code: 'bad-nvflare-version',
      exitCode: 2,
    })
  })
})
