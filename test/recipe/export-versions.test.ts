import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { classStatus } from '../../src/provision/targets/classes.js'
import type { NvflareVersion } from '../../src/provision/targets/version.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import type { FedAvgRecipeWithHEOptions } from '../../src/recipe/options.js'
import type { ExportResult } from '../../src/recipe/spec.js'
import { REFERENCE } from '../helpers/paths.js'
import { CLIENT_PY, MODEL_PY, readJson, tempDirs } from './helpers.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

/** Our target for each reference folder (`main` is NVFlare main f3b7c1b, our 2.9). */
const VERSIONS: [string, NvflareVersion][] = [
  ['2.7', '2.7'],
  ['2.8.1', '2.8'],
  ['main', '2.9'],
]

/**
 * The recipe calls behind the reference exports (DIFFERENCES.md §5): the same client.py / model.py, two
 * clients; the model case with `model.SimpleNet` and 3 rounds, the plain case without a model. NVFlare
 * bundles model.py in both because client.py imports it; we bundle a model's module, and the plain case
 * names model.py with `custom`, as a user of ours would.
 */
const CASES: Record<string, Omit<FedAvgRecipeWithHEOptions, 'trainScript' | 'cwd'>> = {
  fedavg_he_model: {
    name: 'fedavg_he_model',
    minClients: 2,
    numRounds: 3,
    model: { class_path: 'model.SimpleNet', args: {} },
  },
  fedavg_he_plain: { name: 'fedavg_he_plain', minClients: 2, custom: ['model.py'] },
}

/**
 * The one difference the reference itself names: a task_data_filters entry's `tasks` list comes from a
 * Python set, so its order depends on PYTHONHASHSEED ("validate","train" as stored). Sorted on both sides.
 */
function sortSetOrderedTasks(config: unknown): unknown {
  const c = structuredClone(config) as { task_data_filters: { tasks: string[] }[] }
  for (const chain of c.task_data_filters) chain.tasks = [...chain.tasks].sort()
  return c
}

/** Every `path` value in a config (components, executors, filters, workflows, nested model dicts). */
function classPaths(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) classPaths(item, into)
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'path' && typeof v === 'string') into.push(v)
      else classPaths(v, into)
    }
  }
  return into
}

/** Exports a case the way its reference was made: client.py and model.py in the working folder. */
function exportCase(caseName: string, nvflareVersion: NvflareVersion): ExportResult {
  const cwd = temp.make()
  copyFileSync(CLIENT_PY, join(cwd, 'client.py'))
  copyFileSync(MODEL_PY, join(cwd, 'model.py'))
  const options = { ...CASES[caseName], trainScript: 'client.py', cwd, nvflareVersion }
  return new FedAvgRecipeWithHE(options as FedAvgRecipeWithHEOptions).export(temp.make())
}

describe.each(VERSIONS)('the HE FedAvg job for NVFlare %s (target %s)', (folder, version) => {
  describe.each(Object.keys(CASES))('%s', (caseName) => {
    const reference = join(REFERENCE, 'nvflare-versions', folder, 'recipe-export', caseName)

    it('writes meta.json and both app configs key by key as that version’s export does', () => {
      const { jobDir } = exportCase(caseName, version)
      expect(readJson(join(jobDir, 'meta.json'))).toEqual(readJson(join(reference, 'meta.json')))
      expect(readJson(join(jobDir, 'app/config/config_fed_server.json'))).toEqual(
        readJson(join(reference, 'app/config/config_fed_server.json')),
      )
      const client = 'app/config/config_fed_client.json'
      expect(sortSetOrderedTasks(readJson(join(jobDir, client)))).toEqual(
        sortSetOrderedTasks(readJson(join(reference, client))),
      )
    })

    it('bundles the same app/custom/ files (custom-files.txt), byte for byte from the sources', () => {
      const { jobDir, files } = exportCase(caseName, version)
      const expected = readFileSync(join(reference, 'custom-files.txt'), 'utf8').split('\n')
      expect(files.filter((f) => f.startsWith('app/custom/'))).toEqual(expected.filter((l) => l !== ''))
      expect(readFileSync(join(jobDir, 'app/custom/model.py'))).toEqual(readFileSync(MODEL_PY))
      expect(readFileSync(join(jobDir, 'app/custom/client.py'))).toEqual(readFileSync(CLIENT_PY))
    })

    it(`names no NVFlare class that ${version} lacks, and every user class resolves in app/custom/`, () => {
      const { jobDir } = exportCase(caseName, version)
      for (const file of ['config_fed_server.json', 'config_fed_client.json']) {
        for (const path of classPaths(readJson(join(jobDir, 'app/config', file)))) {
          if (path.startsWith('nvflare.')) {
            expect(classStatus(version, path), `${file}: ${path}`).toBe('exists')
          } else {
            const module = path.split('.').slice(0, -1).join('/')
            expect(existsSync(join(jobDir, 'app/custom', `${module}.py`)), `${file}: ${path}`).toBe(true)
          }
        }
      }
    })
  })
})
