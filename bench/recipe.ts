// npx tsx bench/recipe.ts: how long the recipe takes to export a job and ProdEnv to check the kits
// (certificates, every signature, every HE context) for federations of 2, 10 and 50 clients.
// Figures only; nothing here is asserted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadProject } from '../src/provision/project/load.js'
import { provision } from '../src/provision/provisioner.js'
import { inspectKits } from '../src/recipe/envs/inspect-kits.js'
import { pocProjectYaml } from '../src/recipe/envs/poc-env.js'
import { FedAvgRecipeWithHE } from '../src/recipe/fedavg-he.js'

const ADMIN = 'admin@nvidia.com'
const script = new URL('../test/fixtures/recipe/client.py', import.meta.url).pathname

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now()
  const value = await fn()
  return [value, performance.now() - start]
}

const best = (xs: number[]) => Math.min(...xs).toFixed(1)

console.log(
  'clients | provision s | export ms (best of 5) | inspectKits ms (best of 3) | signed files checked',
)
for (const clients of [2, 10, 50]) {
  const ws = mkdtempSync(join(tmpdir(), 'fedforge-bench-recipe-'))
  try {
    const project = loadProject(
      pocProjectYaml(
        { projectName: 'bench', numClients: clients, username: ADMIN },
        { fedLearnPort: 8002, adminPort: 8003 },
      ),
    )
    const [prov, provMs] = await time(() => provision({ project, workspace: ws }))
    const recipe = new FedAvgRecipeWithHE({
      minClients: clients,
      trainScript: script,
      model: { classPath: 'm.Net' },
    })
    const exports: number[] = []
    for (let i = 0; i < 5; i++) exports.push((await time(() => recipe.export(join(ws, 'out'))))[1])
    const checks: number[] = []
    let files = 0
    for (let i = 0; i < 3; i++) {
      const [inspection, ms] = await time(() => inspectKits(join(prov.prodDir, ADMIN), ADMIN))
      checks.push(ms)
      files = inspection.kits.reduce((sum, k) => sum + k.signedFiles, 0)
    }
    const row = [clients, (provMs / 1000).toFixed(1), best(exports), best(checks), files]
    console.log(row.map(String).join(' | '))
  } finally {
    rmSync(ws, { recursive: true, force: true })
  }
}
