import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ExitCode, isProvisionError, type ProvisionError } from '../../src/errors.js'
import { BUNDLE_LIMITS } from '../../src/recipe/bundle.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import type { FedAvgRecipeWithHEOptions } from '../../src/recipe/options.js'
import { CLIENT_PY, MODEL_PY, tempDirs } from './helpers.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

/** A working folder with `dir/client.py` (and `dir/model.py` unless told otherwise). */
function project(withModel = true): string {
  const cwd = temp.make()
  mkdirSync(join(cwd, 'dir'))
  copyFileSync(CLIENT_PY, join(cwd, 'dir/client.py'))
  if (withModel) copyFileSync(MODEL_PY, join(cwd, 'dir/model.py'))
  return cwd
}

const recipe = (cwd: string, extra: Partial<FedAvgRecipeWithHEOptions> = {}) =>
  new FedAvgRecipeWithHE({ minClients: 2, trainScript: 'dir/client.py', cwd, ...extra })

const customOf = (r: FedAvgRecipeWithHE) =>
  r
    .export(temp.make())
    .files.filter((f) => f.startsWith('app/custom/'))
    .map((f) => f.slice('app/custom/'.length))

function refused(options: FedAvgRecipeWithHEOptions): ProvisionError {
  try {
    new FedAvgRecipeWithHE(options)
  } catch (error) {
    if (isProvisionError(error)) return error
    throw error
  }
  throw new Error('expected the options to be refused')
}

describe('the model’s module is bundled from beside the training script', () => {
  it('model.SimpleNet with dir/client.py: dir/model.py goes to app/custom/model.py', () => {
    const cwd = project()
    expect(customOf(recipe(cwd, { model: { classPath: 'model.SimpleNet' } }))).toEqual([
      'dir/client.py',
      'model.py',
    ])
  })

  it('a package folder dir/model/ goes in whole, without __pycache__', () => {
    const cwd = project(false)
    mkdirSync(join(cwd, 'dir/model/__pycache__'), { recursive: true })
    writeFileSync(join(cwd, 'dir/model/__init__.py'), 'from .nets import SimpleNet\n')
    writeFileSync(join(cwd, 'dir/model/nets.py'), 'class SimpleNet: ...\n')
    writeFileSync(join(cwd, 'dir/model/__pycache__/nets.cpython-311.pyc'), 'x')
    expect(customOf(recipe(cwd, { model: { classPath: 'model.SimpleNet' } }))).toEqual([
      'dir/client.py',
      'model/__init__.py',
      'model/nets.py',
    ])
  })

  it('a dotted module nets.cnn.Net bundles the top package nets/', () => {
    const cwd = project(false)
    mkdirSync(join(cwd, 'dir/nets'))
    writeFileSync(join(cwd, 'dir/nets/cnn.py'), 'class Net: ...\n')
    expect(customOf(recipe(cwd, { model: { classPath: 'nets.cnn.Net' } }))).toEqual([
      'dir/client.py',
      'nets/cnn.py',
    ])
  })

  it('a missing module is exit 2, naming the paths looked at', () => {
    const cwd = project(false)
    const e = refused({
      minClients: 2,
      trainScript: 'dir/client.py',
      cwd,
      model: { classPath: 'model.SimpleNet' },
    })
    expect(e.exitCode).toBe(ExitCode.badInput)
    expect(e.problems).toEqual([
      `model: module model of model.SimpleNet not found beside the training script (looked for ${join(cwd, 'dir/model.py')} and ${join(cwd, 'dir/model')}); put it there or bundle it with custom`,
    ])
    const dotted = refused({
      minClients: 2,
      trainScript: 'dir/client.py',
      cwd,
      model: { classPath: 'a.b.Net' },
    })
    expect(dotted.problems[0]).toContain(`looked for ${join(cwd, 'dir/a/b.py')} and ${join(cwd, 'dir/a/b')}`)
  })

  it('needs module.Class; NVFlare’s own classes are not bundled; custom may bring the module', () => {
    const cwd = project(false)
    const bad = refused({
      minClients: 2,
      trainScript: 'dir/client.py',
      cwd,
      model: { classPath: 'SimpleNet' },
    })
    expect(bad.problems).toEqual([expect.stringMatching(/^model: SimpleNet is not a Python class path/)])
    const own = 'nvflare.app_opt.pt.fedproxloss.PTFedProxLoss'
    expect(customOf(recipe(cwd, { model: { classPath: own } }))).toEqual(['dir/client.py'])
    mkdirSync(join(cwd, 'lib'))
    copyFileSync(MODEL_PY, join(cwd, 'lib/model.py'))
    const r = recipe(cwd, { model: { classPath: 'model.SimpleNet' }, custom: ['lib/model.py'] })
    expect(customOf(r)).toEqual(['dir/client.py', 'model.py'])
  })
})

describe('custom files and folders', () => {
  it('go into app/custom/ under their own names, folders recursively', () => {
    const cwd = project()
    mkdirSync(join(cwd, 'utils/sub'), { recursive: true })
    writeFileSync(join(cwd, 'utils/__init__.py'), '')
    writeFileSync(join(cwd, 'utils/sub/data.py'), 'X = 1\n')
    writeFileSync(join(cwd, 'extra.py'), 'Y = 2\n')
    const r = recipe(cwd, { custom: ['utils', 'extra.py'] })
    expect(customOf(r)).toEqual(['dir/client.py', 'extra.py', 'utils/__init__.py', 'utils/sub/data.py'])
  })

  it('refuses two different files for one name, a missing entry, links and special files', () => {
    const cwd = project()
    mkdirSync(join(cwd, 'a'))
    mkdirSync(join(cwd, 'b'))
    writeFileSync(join(cwd, 'a/util.py'), '1')
    writeFileSync(join(cwd, 'b/util.py'), '2')
    mkdirSync(join(cwd, 'pkg'))
    symlinkSync('/etc/passwd', join(cwd, 'pkg/leak.py'))
    execFileSync('mkfifo', [join(cwd, 'pkg/pipe')])
    symlinkSync(join(cwd, 'a/util.py'), join(cwd, 'link.py'))
    const e = refused({
      minClients: 2,
      trainScript: 'dir/client.py',
      cwd,
      custom: ['a/util.py', 'b/util.py', 'nope.py', 'pkg', 'link.py'],
    })
    expect(e.exitCode).toBe(ExitCode.badInput)
    expect(e.problems).toEqual([
      `custom: custom/util.py would hold both ${join(cwd, 'a/util.py')} and ${join(cwd, 'b/util.py')}; rename one`,
      `custom: ${join(cwd, 'nope.py')} does not exist`,
      `custom: ${join(cwd, 'pkg/leak.py')} is a symbolic link; only regular files and folders are bundled`,
      `custom: ${join(cwd, 'pkg/pipe')} is not a regular file or folder`,
      `custom: ${join(cwd, 'link.py')} is a symbolic link; only regular files and folders are bundled`,
    ])
  })

  it('refuses a model module that is a symbolic link', () => {
    const cwd = project(false)
    symlinkSync(MODEL_PY, join(cwd, 'dir/model.py'))
    const e = refused({
      minClients: 2,
      trainScript: 'dir/client.py',
      cwd,
      model: { classPath: 'model.SimpleNet' },
    })
    expect(e.problems).toEqual([expect.stringMatching(/^model: .*dir\/model\.py is a symbolic link/)])
  })

  it(`stops at ${BUNDLE_LIMITS.files} files`, () => {
    const cwd = project()
    mkdirSync(join(cwd, 'many'))
    for (let i = 0; i <= BUNDLE_LIMITS.files; i++) writeFileSync(join(cwd, 'many', `f${i}.py`), '')
    const e = refused({ minClients: 2, trainScript: 'dir/client.py', cwd, custom: ['many'] })
    expect(e.problems).toEqual([
      expect.stringMatching(new RegExp(`^custom: more than ${BUNDLE_LIMITS.files} files`)),
    ])
  })

  it('refuses at export a file swapped for a link after the options were checked, writing no job', () => {
    const cwd = project()
    writeFileSync(join(cwd, 'extra.py'), 'Y = 2\n')
    const r = recipe(cwd, { custom: ['extra.py'] })
    rmSync(join(cwd, 'extra.py'))
    symlinkSync('/etc/passwd', join(cwd, 'extra.py'))
    const out = temp.make()
    expect(() => r.export(out)).toThrow(/extra\.py is a symbolic link; not bundled/)
    expect(readdirSync(out)).toEqual([])
    expect(existsSync(join(out, 'fedavg_he'))).toBe(false)
  })
})
