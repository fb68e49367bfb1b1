import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { classCheck, classPathsIn, kitClassPaths } from '../../../src/provision/verify/class-check.js'
import { REFERENCE } from '../../helpers/paths.js'
import { smallProjectYaml } from '../../helpers/projects.js'
import { runBin } from '../../helpers/run-bin.js'
import { useTempDir } from '../../helpers/temp.js'
import { ensureBuilt } from '../../hostile/helpers.js'

const KITS = (folder: string) => join(REFERENCE, 'nvflare-versions', folder, 'kits')

describe('the class check of provision verify', () => {
  const tempDir = useTempDir()

  it('finds every path, class and () value with its key path, and not the allow-list', () => {
    const found = classPathsIn(
      {
        components: [{ id: 'a', path: 'x.Y', args: { path: 'nested.Z' } }],
        handlers: { h: { class: 'logging.StreamHandler' } },
        formatters: { f: { '()': 'nvflare.fuel.utils.log_utils.BaseFormatter' } },
        class_allow_list: ['nvflare.not.Loaded'],
      },
      'local/x.json',
    )
    expect(found.map((c) => `${c.key}=${c.classPath}`)).toEqual([
      'components[0].path=x.Y',
      'components[0].args.path=nested.Z',
      'handlers.h.class=logging.StreamHandler',
      'formatters.f["()"]=nvflare.fuel.utils.log_utils.BaseFormatter',
    ])
  })

  it("NVFlare 2.7's own kits pass as 2.7 and fail as 2.8, naming file, key and class", () => {
    const server = join(KITS('2.7'), 'server1')
    expect(classCheck(server, '2.7').status).toBe('ok')
    const as28 = classCheck(server, '2.8')
    expect(as28.status).toBe('fail')
    expect(as28.message).toContain(
      'startup/fed_server.json overseer_agent.path: nvflare.ha.dummy_overseer_agent.DummyOverseerAgent does not exist in NVFlare 2.8',
    )
    expect(as28.message).toContain(
      'local/resources.json.default components[4].path: nvflare.app_common.logging.log_receiver.LogReceiver',
    )
    const client = classCheck(join(KITS('2.8.1'), 'site-1'), '2.7')
    expect(client.status).toBe('fail')
    expect(client.message).toContain(
      'components[3].path: nvflare.app_common.logging.site_log_streamer.SiteLogStreamer',
    )
  })

  it('reads every config NVFlare loads: startup/*.json and local/*.json(.default), not samples or signatures', () => {
    const { classes, unreadable } = kitClassPaths(join(KITS('main'), 'server1'))
    expect(unreadable).toEqual([])
    expect([...new Set(classes.map((c) => c.file))].sort()).toEqual([
      'local/log_config.json.default',
      'local/resources.json.default',
    ])
  })

  it('an unknown nvflare.* class fails, an unknown class of the site warns, a config that is not JSON fails', () => {
    const kit = tempDir()
    cpSync(join(KITS('2.8.1'), 'site-1'), kit, { recursive: true })
    const file = join(kit, 'local', 'resources.json')
    const resources = JSON.parse(readFileSync(join(kit, 'local', 'resources.json.default'), 'utf8'))
    resources.components.push({ id: 'mine', path: 'my_site.monitor.Monitor', args: {} })
    writeFileSync(file, JSON.stringify(resources))
    const warned = classCheck(kit, '2.8')
    expect(warned.status).toBe('warn')
    expect(warned.message).toContain('local/resources.json components[4].path: my_site.monitor.Monitor')
    resources.components.push({ id: 'typo', path: 'nvflare.app_common.no_such.Thing', args: {} })
    writeFileSync(file, JSON.stringify(resources))
    expect(classCheck(kit, '2.8').message).toMatch(
      /nvflare\.app_common\.no_such\.Thing is not a class we know/,
    )
    writeFileSync(file, '{ not json')
    expect(classCheck(kit, '2.8')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('local/resources.json is not JSON'),
    })
  })

  it('without a target (admin kits are the same everywhere) a class must exist in every version', () => {
    const kit = tempDir()
    cpSync(join(KITS('2.7'), 'server1'), kit, { recursive: true })
    expect(classCheck(kit, undefined)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('DummyOverseerAgent does not exist in NVFlare 2.8, 2.9'),
    })
    expect(classCheck(join(KITS('2.8.1'), 'admin@nvidia.com'), undefined).status).toBe('ok')
  })
})

describe('provision verify --nvflare-version (the built bin)', () => {
  const tempDir = useTempDir()
  beforeAll(ensureBuilt, 300_000)

  it('a 2.7 kit verifies as its own target and fails as 2.8, naming DummyOverseerAgent', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('ver'))
    expect(runBin(['-p', 'project.yml', '--nvflare-version', '2.7'], dir).code).toBe(0)
    const kit = join('workspace', 'ver', 'prod_00', 'site-1')
    const own = runBin(['verify', kit], dir)
    expect(own.code, own.stdout).toBe(0)
    expect(own.stdout).toContain('site-1 (client, NVFlare 2.7)')
    expect(own.stdout).toMatch(/ok {4}classes: \d+ class paths in 4 configs exist in NVFlare 2\.7/)
    const other = runBin(['verify', kit, '--nvflare-version', '2.8'], dir)
    expect(other.code).toBe(1)
    expect(other.stdout).toMatch(
      /FAIL {2}classes: .*startup\/fed_client\.json overseer_agent\.path: nvflare\.ha\.dummy_overseer_agent\.DummyOverseerAgent does not exist in NVFlare 2\.8/,
    )
    const bad = runBin(['verify', kit, '--nvflare-version', 'main'], dir)
    expect(bad.code).toBe(2)
  })
})
