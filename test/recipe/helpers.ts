import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = fileURLToPath(new URL('../fixtures/recipe/', import.meta.url))
export const CLIENT_PY = join(FIXTURES, 'client.py')
/** The model module client.py imports (`from model import SimpleNet`). */
export const MODEL_PY = join(FIXTURES, 'model.py')
export const SAMPLE = fileURLToPath(
  new URL('../fixtures/reference/nvflare-sample/recipe-export-fedavg_he', import.meta.url),
)

/** A temp dir per test; call the returned cleanup in afterEach. */
export function tempDirs(): { make(prefix?: string): string; cleanup(): void } {
  const dirs: string[] = []
  return {
    make(prefix = 'fedforge-recipe-') {
      const dir = mkdtempSync(join(tmpdir(), prefix))
      dirs.push(dir)
      return dir
    },
    cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** Replaces every filter chain's task list by its sorted copy (NVFlare writes Python set order). */
export function sortTaskLists(config: unknown): unknown {
  const c = structuredClone(config) as Record<string, unknown>
  for (const key of ['task_data_filters', 'task_result_filters']) {
    const chains = c[key] as { tasks: string[] }[]
    for (const chain of chains) chain.tasks = [...chain.tasks].sort()
  }
  return c
}
