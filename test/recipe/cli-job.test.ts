import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { registerJob } from '../../src/cli/commands/job.js'
import { takeResult } from '../../src/cli/run.js'
import { isProvisionError } from '../../src/errors.js'
import { Layout } from '../../src/provision/layout.js'
import { detectKitTarget } from '../../src/provision/targets/detect.js'
import type { NvflareVersion } from '../../src/provision/targets/version.js'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import { CLIENT_PY, readJson, tempDirs } from './helpers.js'
import { ADMIN, copyKits, provisionHeKits, reprovisionHeKits } from './kits.js'

const shared = tempDirs()
const temp = tempDirs()
let prodDir = ''
let projectDir = ''
beforeAll(async () => {
  ;({ prodDir, projectDir } = await provisionHeKits(shared.make(), 3))
})
afterAll(() => shared.cleanup())
afterEach(() => {
  temp.cleanup()
  vi.restoreAllMocks()
})

/** Runs `provision job ...` in-process and returns what it printed. */
async function run(args: string[]): Promise<string> {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk))
    return true
  })
  const program = new Command('provision').exitOverride()
  registerJob(program)
  await program.parseAsync(['job', 'fedavg-he', ...args], { from: 'user' })
  vi.restoreAllMocks()
  expect(takeResult()).toBe(0)
  return lines.join('')
}

describe('provision job fedavg-he', () => {
  it('checks the kits and writes the job into the admin kit’s transfer/, printing the submit command', async () => {
    const kits = copyKits(prodDir, temp.make())
    const text = await run(['--kits', kits, '--train-script', CLIENT_PY, '--num-rounds', '3'])
    expect(text).toContain('kits: 5 checked (3 clients), HE CKKS N=8192 [60, 40, 40] scale 2^40')
    expect(text).toContain('  submit_job fedavg_he')
    const jobDir = join(kits, ADMIN, Layout.transfer, 'fedavg_he')
    // --min-clients defaults to the number of client kits.
    expect(readJson(join(jobDir, 'meta.json'))).toMatchObject({ name: 'fedavg_he', min_clients: 3 })
  })

  it('exports with -o the same job the library exports, and prints JSON with --json', async () => {
    const out = temp.make()
    const flags = [
      '--name',
      'he_job',
      '--min-clients',
      '2',
      '--model',
      'model.SimpleNet',
      '--train-args',
      '--epochs 1',
    ]
    const text = await run(['--kits', prodDir, '--train-script', CLIENT_PY, ...flags, '-o', out, '--json'])
    const printed = JSON.parse(text) as {
      jobDir: string
      kits: unknown[]
      target: { nvflareVersion: NvflareVersion }
    }
    expect(printed.jobDir).toBe(join(out, 'he_job'))
    expect(printed.kits).toHaveLength(5)
    const lib = new FedAvgRecipeWithHE({
      nvflareVersion: printed.target.nvflareVersion,
      name: 'he_job',
      minClients: 2,
      model: { classPath: 'model.SimpleNet' },
      trainScript: CLIENT_PY,
      trainArgs: '--epochs 1',
    }).export(temp.make())
    for (const file of lib.files) {
      expect(readFileSync(join(printed.jobDir, file), 'utf8'), file).toBe(
        readFileSync(join(lib.jobDir, file), 'utf8'),
      )
    }
  })

  it('names the flag in the recipe’s own complaints (exit 2)', async () => {
    const cwd = temp.make()
    const error = await run(['--kits', prodDir, '--train-script', join(cwd, 'nope.py'), '-o', cwd]).catch(
      (e: unknown) => e,
    )
    expect(isProvisionError(error) && error.exitCode).toBe(2)
    expect(isProvisionError(error) && error.problems).toEqual([
      `--train-script: ${join(cwd, 'nope.py')} is not a file (looked for ${join(cwd, 'nope.py')})`,
    ])
  })

  it('refuses --encrypt-layers together with --encrypt-regex, and unreadable --model-args', async () => {
    const base = ['--kits', prodDir, '--train-script', CLIENT_PY, '-o', temp.make()]
    await expect(run([...base, '--encrypt-layers', 'a', '--encrypt-regex', 'b'])).rejects.toThrow(
      'give --encrypt-layers or --encrypt-regex, not both',
    )
    await expect(run([...base, '--model', 'm.N', '--model-args', '{bad'])).rejects.toThrow(
      /^--model-args: must be a JSON object; this is not JSON \(.+\) \(got "\{bad"\)$/,
    )
  })

  it('--aggregator sets a custom HE aggregator; a plain one is refused naming the flag', async () => {
    const out = temp.make()
    const base = ['--kits', prodDir, '--train-script', CLIENT_PY, '-o', out]
    const agg = ['--aggregator', 'my.HEAgg', '--aggregator-args', '{"exclude_vars": "bn"}']
    await run([...base, ...agg, '--aggregator-he-compatible'])
    const server = readJson(join(out, 'fedavg_he/app/config/config_fed_server.json')) as {
      components: { id: string; path: string; args: unknown }[]
    }
    expect(server.components.find((c) => c.id === 'aggregator')).toEqual({
      id: 'aggregator',
      path: 'my.HEAgg',
      args: { exclude_vars: 'bn' },
    })
    const error = await run([...base, ...agg]).catch((e: unknown) => e)
    expect(isProvisionError(error) && error.problems).toEqual([
      expect.stringMatching(/^--aggregator: my.HEAgg is not an HE aggregator/),
    ])
  })

  it('says which admin kit to pick when --kits holds none for the user', async () => {
    await expect(
      run(['--kits', prodDir, '--username', 'x@y.z', '--train-script', CLIENT_PY]),
    ).rejects.toThrow(/found no admin kit for x@y.z/)
  })
})

/** The client executor each target's in-process job names (DIFFERENCES.md §5). */
const EXECUTOR: Record<NvflareVersion, string> = {
  '2.7': 'nvflare.app_opt.pt.in_process_client_api_executor.PTInProcessClientAPIExecutor',
  '2.8': 'nvflare.app_opt.pt.in_process_client_api_executor.PTInProcessClientAPIExecutor',
  '2.9': 'nvflare.app_common.executors.client_api_executor.ClientAPIExecutor',
}

const executorOf = (jobDir: string) =>
  (
    readJson(join(jobDir, 'app/config/config_fed_client.json')) as {
      executors: { executor: { path: string } }[]
    }
  ).executors[0]?.executor.path

describe('provision job fedavg-he: the NVFlare target', () => {
  it('reads the target from the server kit when --nvflare-version is not given, and says so', async () => {
    const told = detectKitTarget(join(prodDir, 'server'))
    expect(told).toBeDefined()
    const out = temp.make()
    const text = await run(['--kits', prodDir, '--train-script', CLIENT_PY, '-o', out])
    expect(text).toContain(`target: NVFlare ${told} (read from kit server)\n`)
    expect(executorOf(join(out, 'fedavg_he'))).toBe(EXECUTOR[told as NvflareVersion])
    const json = JSON.parse(await run(['--kits', prodDir, '--train-script', CLIENT_PY, '-o', out, '--json']))
    expect(json.target).toEqual({ nvflareVersion: told, source: 'kits', kit: 'server' })
  })

  it.each(['2.7', '2.8', '2.9'] as const)(
    'writes for --nvflare-version %s, warning about kits of another',
    async (v) => {
      const told = detectKitTarget(join(prodDir, 'server'))
      const out = temp.make()
      const text = await run([
        '--kits',
        prodDir,
        '--train-script',
        CLIENT_PY,
        '--nvflare-version',
        v,
        '-o',
        out,
      ])
      expect(text).toContain(`target: NVFlare ${v} (--nvflare-version)\n`)
      expect(executorOf(join(out, 'fedavg_he'))).toBe(EXECUTOR[v])
      const warning = `warning: the job targets NVFlare ${v} but kit server was written for ${told}`
      if (told === v) expect(text).not.toContain('warning:')
      else expect(text).toContain(warning)
    },
  )

  it('refuses to export a job for kits verifyKit fails, with its message (a tampered client signature)', async () => {
    const kits = copyKits(prodDir, temp.make())
    const sigFile = join(kits, 'site-2', Layout.startup, Layout.signature)
    const signatures = readJson(sigFile) as Record<string, string>
    const first = signatures[Layout.fedClient] as string
    // Another valid-looking RSA-PSS signature: that of a different file in the same folder.
    signatures[Layout.fedClient] = signatures['start.sh'] as string
    expect(signatures[Layout.fedClient]).not.toBe(first)
    writeFileSync(sigFile, JSON.stringify(signatures))
    const report = await verifyKit(join(kits, 'site-2'))
    const failed = report.checks.filter((c) => c.status === 'fail')
    expect(failed.map((c) => [c.name, c.message])).toEqual([
      ['signatures', `startup/${Layout.fedClient} does not match its signature`],
    ])
    const out = temp.make()
    const error = await run(['--kits', kits, '--train-script', CLIENT_PY, '-o', out]).catch((e: unknown) => e)
    expect(isProvisionError(error) && [error.code, error.problems]).toEqual([
      'kits-not-he-ready',
      failed.map((c) => `site-2: ${c.name}: ${c.message}`),
    ])
    expect(readdirSync(out)).toEqual([])
  })

  it('refuses an unknown --nvflare-version (exit 2) before it reads the kits', async () => {
    const error = await run([
      '--kits',
      '/nonexistent',
      '--train-script',
      CLIENT_PY,
      '--nvflare-version',
      '2.6',
    ]).catch((e: unknown) => e)
    expect(isProvisionError(error) && error.exitCode).toBe(2)
    expect((error as Error).message).toBe('--nvflare-version: must be one of 2.7, 2.8, 2.9 (got "2.6")')
  })

  it('refuses kits written for different versions (exit 2), naming them', async () => {
    const kits = copyKits(prodDir, temp.make())
    const told = detectKitTarget(join(kits, 'server'))
    // site-1 from a later run of the same workspace (same root CA and HE key) for another version.
    const again = await reprovisionHeKits(projectDir, 3, told === '2.7' ? '2.8' : '2.7')
    const site = join(kits, 'site-1')
    rmSync(site, { recursive: true })
    cpSync(join(again, 'site-1'), site, { recursive: true })
    const other = detectKitTarget(site)
    const error = await run(['--kits', kits, '--train-script', CLIENT_PY, '-o', temp.make()]).catch(
      (e: unknown) => e,
    )
    expect(isProvisionError(error) && error.exitCode).toBe(2)
    expect((error as Error).message).toContain('the kits were written for different NVFlare versions: ')
    expect((error as Error).message).toContain(`server ${told}`)
    expect((error as Error).message).toContain(`site-1 ${other}`)
  })
})
