import { describe, expect, it } from 'vitest'
import type { NvflareVersion } from '../../src/provision/targets/version.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import { type ComponentClass, jsonEqual, makeComponent, REQUIRED } from '../../src/recipe/job/component.js'
import { shlexSplit } from '../../src/recipe/job/shlex.js'
import type { FedAvgRecipeWithHEOptions } from '../../src/recipe/options.js'
import { CLIENT_PY } from './helpers.js'

const job = (extra: Partial<FedAvgRecipeWithHEOptions> = {}) =>
  new FedAvgRecipeWithHE({ minClients: 2, trainScript: CLIENT_PY, ...extra }).job

describe('the HE FedAvg job for non-default options', () => {
  it('without a model: no persistor, locator or serialize filter, and no persistor_id', () => {
    const ids = (nvflareVersion: NvflareVersion) => job({ nvflareVersion }).server.components.map((c) => c.id)
    const released = ['json_generator', 'model_selector', 'shareable_generator', 'aggregator']
    expect(ids('2.7')).toEqual(released)
    expect(ids('2.8')).toEqual(released)
    expect(ids('2.9')).toEqual([
      'json_generator',
      'model_selector',
      'metrics_artifact_writer',
      'shareable_generator',
      'aggregator',
    ])
    const server = job().server
    expect(server.workflows[0]?.args).toEqual({
      min_clients: 2,
      num_rounds: 2,
      wait_time_after_min_received: 0,
    })
  })

  it('writes server and client memory settings only when they differ from the defaults', () => {
    const j = job({ serverMemoryGcRounds: 0, clientMemoryGcRounds: 5, cudaEmptyCache: true })
    expect(j.server.workflows[0]?.args['memory_gc_rounds']).toBe(0)
    expect(j.client.executors[0]?.executor.args).toMatchObject({
      memory_gc_rounds: 5,
      cuda_empty_cache: true,
    })
    expect(job().client.executors[0]?.executor.args).not.toHaveProperty('memory_gc_rounds')
  })

  it('passes WEIGHT_DIFF to the aggregator and DIFF/format to the executor', () => {
    const j = job({
      aggregatorDataKind: 'WEIGHT_DIFF',
      paramsTransferType: 'DIFF',
      serverExpectedFormat: 'pytorch',
    })
    expect(j.server.components.at(-1)?.args).toEqual({})
    expect(j.client.executors[0]?.executor.args).toMatchObject({
      params_transfer_type: 'DIFF',
      server_expected_format: 'pytorch',
    })
  })

  it('puts encryptLayers on both encryptors (list or regex)', () => {
    for (const encryptLayers of [['fc1.weight', 'fc2.bias'], 'conv']) {
      const filters = job({ encryptLayers }).client.taskResultFilters.flatMap((c) => c.filters)
      expect(filters.map((f) => f.args['encrypt_layers'])).toEqual([encryptLayers, encryptLayers])
    }
  })

  it('2.9: launches an external process with the command and args split into argv, as ScriptRunner does', () => {
    const executor = job({
      nvflareVersion: '2.9',
      launchExternalProcess: true,
      trainArgs: '--epochs 2 --note "a b"',
      command: 'python3 -u',
    }).client.executors[0]?.executor
    expect(executor?.args).toEqual({
      execution_mode: 'external_process',
      command: ['python3', '-u', 'custom/client.py', '--epochs', '2', '--note', 'a b'],
      shutdown_timeout: 0,
      params_exchange_format: 'pytorch',
    })
  })
})

/** The CellPipe NVFlare 2.7 and 2.8's ScriptRunner writes for `pipe` and `metrics_pipe`. */
const cellPipe = (id: string) => ({
  id,
  path: 'nvflare.fuel.utils.pipe.cell_pipe.CellPipe',
  args: {
    mode: 'PASSIVE',
    site_name: '{SITE_NAME}',
    token: '{JOB_ID}',
    root_url: '{CP_URL}',
    secure_mode: '{SECURE_MODE}',
    workspace_dir: '{WORKSPACE}',
  },
})

describe('2.7 and 2.8: an external process runs through a pipe, a launcher and a metric relay', () => {
  // As NVFlare 2.7 and 2.8.1's own export writes it for the same options (run with NVFlare's sources).
  it.each([
    ['2.7', null],
    ['2.8', 3],
  ] as const)('%s (max_resends %s)', (nvflareVersion, maxResends) => {
    const client = job({
      nvflareVersion,
      launchExternalProcess: true,
      command: 'python3',
      trainArgs: "--epochs 2 --note 'a b'",
      paramsTransferType: 'DIFF',
      clientMemoryGcRounds: 2,
    }).client
    expect(client.executors).toEqual([
      {
        tasks: ['*'],
        executor: {
          path: 'nvflare.app_opt.pt.client_api_launcher_executor.PTClientAPILauncherExecutor',
          args: {
            pipe_id: 'pipe',
            launcher_id: 'launcher',
            params_transfer_type: 'DIFF',
            memory_gc_rounds: 2,
            max_resends: maxResends,
          },
        },
      },
    ])
    expect(client.components.slice(1)).toEqual([
      cellPipe('pipe'),
      {
        id: 'launcher',
        path: 'nvflare.app_common.launchers.subprocess_launcher.SubprocessLauncher',
        args: { script: "python3 custom/client.py --epochs 2 --note 'a b'" },
      },
      cellPipe('metrics_pipe'),
      {
        id: 'metric_relay',
        path: 'nvflare.app_common.widgets.metric_relay.MetricRelay',
        args: { pipe_id: 'metrics_pipe', heartbeat_timeout: 0, event_type: 'fed.analytix_log_stats' },
      },
      {
        id: 'config_preparer',
        path: 'nvflare.app_common.widgets.external_configurator.ExternalConfigurator',
        args: { component_ids: ['metric_relay'] },
      },
    ])
  })

  it('keeps ScriptRunner’s command line as one string (a trailing space when there are no arguments)', () => {
    const launcher = job({ nvflareVersion: '2.8', launchExternalProcess: true }).client.components.find(
      (c) => c.id === 'launcher',
    )
    expect(launcher?.args).toEqual({ script: 'python3 -u custom/client.py ' })
  })
})

describe('component model', () => {
  const cls: ComponentClass = { path: 'x.Y', params: { a: REQUIRED, b: 1, c: null, d: [1, { e: 2 }] } }

  it('writes required args always, others only when they differ (deep, key order ignored)', () => {
    expect(makeComponent(cls, { a: 0, b: 1, c: null, d: [1, { e: 2 }] }, 'y')).toEqual({
      id: 'y',
      path: 'x.Y',
      args: { a: 0 },
    })
    expect(makeComponent(cls, { a: 0, b: 2, d: [1, { e: 3 }] }).args).toEqual({
      a: 0,
      b: 2,
      d: [1, { e: 3 }],
    })
    expect(() => makeComponent(cls, {})).toThrow(/needs "a"/)
    expect(() => makeComponent(cls, { a: 1, z: 1 })).toThrow(/no parameter "z"/)
    expect(jsonEqual({ p: 1, q: [2] }, { q: [2], p: 1 })).toBe(true)
    expect(jsonEqual([1], { 0: 1 })).toBe(false)
  })

  it('splits command lines like Python shlex (posix)', () => {
    expect(shlexSplit(`python3 -u  'a b' "c \\"d\\"" e\\ f`)).toEqual([
      'python3',
      '-u',
      'a b',
      'c "d"',
      'e f',
    ])
    expect(shlexSplit('')).toEqual([])
    expect(() => shlexSplit("it's")).toThrow(/unterminated single quote/)
  })
})
