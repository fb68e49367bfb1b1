import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'
import { CLIENT_PY, MODEL_PY, readJson, tempDirs } from '../recipe/helpers.js'
import { provisionHeKits } from '../recipe/kits.js'

const shared = tempDirs()
let prodDir = ''
beforeAll(async () => {
  prodDir = (await provisionHeKits(shared.make(), 2)).prodDir
})
afterAll(() => shared.cleanup())

describe('the built `provision job fedavg-he` bundles what the job imports', () => {
  const tempDir = useTempDir()

  /** A user's folder: dir/client.py (which does `from model import SimpleNet`), and dir/model.py. */
  function userFolder(withModel: boolean): string {
    const cwd = tempDir()
    mkdirSync(join(cwd, 'dir'))
    copyFileSync(CLIENT_PY, join(cwd, 'dir/client.py'))
    if (withModel) copyFileSync(MODEL_PY, join(cwd, 'dir/model.py'))
    return cwd
  }

  const job = (cwd: string, ...extra: string[]) =>
    runBin(
      ['job', 'fedavg-he', '--kits', prodDir, '--train-script', 'dir/client.py', '-o', 'out', ...extra],
      cwd,
    )

  it('--model model.SimpleNet --train-script dir/client.py puts dir/model.py into app/custom/', () => {
    const cwd = userFolder(true)
    const r = job(cwd, '--model', 'model.SimpleNet')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const custom = join(cwd, 'out/fedavg_he/app/custom')
    expect(readFileSync(join(custom, 'model.py'))).toEqual(readFileSync(MODEL_PY))
    expect(readFileSync(join(custom, 'dir/client.py'))).toEqual(readFileSync(CLIENT_PY))
    const server = readJson(join(cwd, 'out/fedavg_he/app/config/config_fed_server.json'))
    expect(JSON.stringify(server)).toContain('"path":"model.SimpleNet"')
  })

  it('a missing model module is exit 2, naming the path it looked at, and writes nothing', () => {
    const cwd = userFolder(false)
    const r = job(cwd, '--model', 'model.SimpleNet')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`looked for ${join(cwd, 'dir/model.py')}`)
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/)
    expect(existsSync(join(cwd, 'out'))).toBe(false)
  })

  it('--custom FILE and --custom DIR (repeatable) go into app/custom/ under their names', () => {
    const cwd = userFolder(true)
    mkdirSync(join(cwd, 'helpers'))
    writeFileSync(join(cwd, 'helpers/__init__.py'), 'A = 1\n')
    writeFileSync(join(cwd, 'data.py'), 'B = 2\n')
    const r = job(cwd, '--model', 'model.SimpleNet', '--custom', 'helpers', '--custom', 'data.py', '--json')
    expect(r.code).toBe(0)
    const custom = join(cwd, 'out/fedavg_he/app/custom')
    expect(readFileSync(join(custom, 'helpers/__init__.py'), 'utf8')).toBe('A = 1\n')
    expect(readFileSync(join(custom, 'data.py'), 'utf8')).toBe('B = 2\n')
    const printed = JSON.parse(r.stdout) as { target: { nvflareVersion: string; source: string } }
    expect(printed.target.source).toBe('kits')
  })

  it('--help tells the bundling and the target', () => {
    const help = runBin(['job', 'fedavg-he', '--help'], tempDir()).stdout.replace(/\s+/g, ' ')
    expect(help).toContain('its module (model.py or a model/ package beside the training script) is bundled')
    expect(help).toContain('--custom <path>')
    expect(help).toContain('--nvflare-version <version>')
  })
})
