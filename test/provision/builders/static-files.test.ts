import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { useTempDir } from '../../helpers/temp.js'

const PROJECT = `
api_version: 4
name: relayed
participants:
  - {name: server.example.com, type: server, org: hub, fed_learn_port: 9000, admin_port: 9001, connection_security: TLS}
  - name: relay-1
    type: relay
    org: hub
    listening_host: {default_host: relay1.example.com, port: 9100}
  - name: relay-2
    type: relay
    org: hub
    listening_host: {default_host: relay2.example.com, port: 9200}
    connect_to: {name: relay-1}
  - {name: site-1, type: client, org: org_a, connect_to: {name: relay-2}}
  - {name: site-2, type: client, org: org_a, parent: site-1, listening_host: site-2-lh}
  - {name: site-3, type: client, org: org_b, connect_to: {host: fl.example.com, port: 9443}}
  - {name: admin@example.com, type: admin, org: hub, role: project_admin}
studies:
  cancer:
    site_orgs: {org_a: [site-1, site-2]}
    admins: [admin@example.com]
builders:
  - path: workspace
  - path: static
  - path: nvflare.lighter.impl.docker.DockerBuilder
`

describe('static files of relays, hierarchies, studies and docker', () => {
  const tempDir = useTempDir()

  async function run() {
    const workspace = tempDir()
    const result = await provision({
      project: loadProject(PROJECT),
      workspace,
      options: { genScripts: true },
    })
    const read = (rel: string) => JSON.parse(readFileSync(join(result.prodDir, rel), 'utf8'))
    return { result, read }
  }

  it('writes fed_relay.json with the parent relay and the server identity', async () => {
    const { read } = await run()
    expect(read('relay-1/startup/fed_relay.json')).toEqual({
      format_version: 2,
      project_name: 'relayed',
      identity: 'relay-1',
      server_identity: 'server.example.com',
      connect_to: {
        scheme: 'http',
        identity: 'server.example.com',
        address: 'server.example.com:9000',
        fqcn: 'server',
        connection_security: 'tls',
      },
    })
    const r2 = read('relay-2/startup/fed_relay.json')
    expect(r2.connect_to).toMatchObject({
      identity: 'relay-1',
      address: 'relay1.example.com:9100',
      fqcn: 'relay-1',
    })
    expect(read('relay-2/local/comm_config.json')).toMatchObject({
      backbone_conn_gen: 1,
      internal: { resources: { host: 'relay2.example.com', port: 9200 } },
    })
  })

  it('points a relayed client at its relay, and computes fqsn and is_leaf from parents', async () => {
    const { read } = await run()
    expect(read('site-1/local/relay__resources.json').relay_config).toMatchObject({
      identity: 'relay-2',
      address: 'relay2.example.com:9200',
      fqcn: 'relay-1.relay-2',
    })
    expect(read('site-1/startup/fed_client.json').client).toMatchObject({
      fqsn: 'site-1',
      is_leaf: false,
      connection_security: 'tls',
    })
    expect(read('site-2/startup/fed_client.json').client).toMatchObject({
      fqsn: 'site-1.site-2',
      is_leaf: true,
    })
    expect(read('site-2/local/comm_config.json').internal.resources.host).toBe('site-2-lh')
    expect(read('site-3/startup/fed_client.json').servers[0].service.target).toBe('fl.example.com:9443')
  })

  it('writes the study registry, admin port and start_all.sh', async () => {
    const { result, read } = await run()
    expect(read('server.example.com/local/study_registry.json')).toEqual({
      format_version: '1.0',
      studies: { cancer: { site_orgs: { org_a: ['site-1', 'site-2'] }, admins: ['admin@example.com'] } },
    })
    expect(read('admin@example.com/startup/fed_admin.json').admin).toMatchObject({
      host: 'server.example.com',
      port: 9001,
    })
    const startAll = join(result.prodDir, 'start_all.sh')
    expect(statSync(startAll).mode & 0o777).toBe(0o755)
    const lines = readFileSync(startAll, 'utf8')
      .split('\n')
      .filter((l) => l.includes('start.sh'))
    expect(lines.map((l) => l.split('/')[1])).toEqual([
      'server.example.com',
      'relay-1',
      'relay-2',
      'site-1',
      'site-2',
      'site-3',
    ])
    expect(existsSync(join(result.prodDir, 'relay-1', 'transfer'))).toBe(false)
  })

  it('writes a docker compose file with a service per server and client', async () => {
    const { result } = await run()
    const compose = parse(readFileSync(join(result.prodDir, 'compose.yaml'), 'utf8'))
    expect(Object.keys(compose.services).sort()).toEqual(['server.example.com', 'site-1', 'site-2', 'site-3'])
    expect(compose.services['server.example.com'].ports).toEqual(['9000:9000', '9001:9001'])
    expect(compose.services['site-1'].command).toContain('uid=site-1')
    expect(readFileSync(join(result.prodDir, 'nvflare_compose/Dockerfile'), 'utf8')).toMatch(/^FROM python:/)
  })

  it('grows max_num_clients with the federation', async () => {
    const workspace = tempDir()
    const clients = Array.from({ length: 120 }, (_, i) => `  - {name: s${i}, type: client, org: o}`).join(
      '\n',
    )
    const yml = `api_version: 3\nname: big\nparticipants:\n  - {name: srv, type: server, org: o}\n${clients}\nbuilders: [{path: workspace}, {path: static}]\n`
    const result = await provision({ project: loadProject(yml), workspace })
    const res = JSON.parse(readFileSync(join(result.prodDir, 'srv/local/resources.json.default'), 'utf8'))
    expect(res.servers[0].max_num_clients).toBe(120)
  })
})
