import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import { CLIENT_PY, MODEL_PY, readJson, SAMPLE, sortTaskLists, tempDirs } from './helpers.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

/** The train script and its model module in a temp cwd (as NVFlare resolves them). */
function scriptDir(cwd: string): string {
  copyFileSync(CLIENT_PY, join(cwd, 'client.py'))
  copyFileSync(MODEL_PY, join(cwd, 'model.py'))
  return cwd
}

/** The sample's recipe call (the sample is NVFlare main's export: target 2.9). */
function sampleRecipe(cwd: string) {
  scriptDir(cwd)
  return new FedAvgRecipeWithHE({
    nvflareVersion: '2.9',
    name: 'fedavg_he_model_dict',
    model: { class_path: 'model.SimpleNet', args: {} },
    minClients: 2,
    numRounds: 3,
    trainScript: 'client.py',
    trainArgs: '--epochs 1',
    cwd,
  })
}

describe('FedAvgRecipeWithHE export matches NVFlare’s own export', () => {
  it('writes the same meta.json and configs as the sample (task lists compared as sets)', () => {
    const cwd = temp.make()
    const out = temp.make()
    const result = sampleRecipe(cwd).export(out)
    expect(result.jobDir).toBe(join(out, 'fedavg_he_model_dict'))
    expect(result.files).toEqual([
      'app/config/config_fed_client.json',
      'app/config/config_fed_server.json',
      'app/custom/client.py',
      'app/custom/model.py',
      'meta.json',
    ])
    expect(readJson(join(result.jobDir, 'meta.json'))).toEqual(readJson(join(SAMPLE, 'meta.json')))
    for (const file of ['config_fed_server.json', 'config_fed_client.json']) {
      const ours = readJson(join(result.jobDir, 'app/config', file))
      const theirs = readJson(join(SAMPLE, 'app/config', file))
      expect(sortTaskLists(ours), file).toEqual(sortTaskLists(theirs))
    }
  })

  it('keeps NVFlare’s argument order and JSON layout (4-space indent, no trailing newline)', () => {
    const result = sampleRecipe(temp.make()).export(temp.make())
    for (const file of ['meta.json', 'app/config/config_fed_server.json']) {
      const ours = readFileSync(join(result.jobDir, file), 'utf8')
      const theirs = readFileSync(join(SAMPLE, file), 'utf8')
      expect(ours).toBe(theirs)
    }
  })

  it('bundles the train script byte for byte into app/custom/', () => {
    const result = sampleRecipe(temp.make()).export(temp.make())
    expect(readFileSync(join(result.jobDir, 'app/custom/client.py'))).toEqual(readFileSync(CLIENT_PY))
  })

  it('accepts the camelCase classPath spelling with the same result', () => {
    const cwd = temp.make()
    const a = sampleRecipe(cwd).job
    const b = new FedAvgRecipeWithHE({
      nvflareVersion: '2.9',
      name: 'fedavg_he_model_dict',
      model: { classPath: 'model.SimpleNet' },
      minClients: 2,
      numRounds: 3,
      trainScript: 'client.py',
      trainArgs: '--epochs 1',
      cwd,
    }).job
    expect(b).toEqual(a)
  })
})
