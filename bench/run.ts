// npm run bench [-- --clients 1000]: provisioning wall time, participants/s, peak RSS and stage shares,
// then the key-generation and HE benchmarks. Figures only; nothing here is asserted.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'

const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname
const flag = process.argv.indexOf('--clients')
const sizes = flag > 0 ? [Number(process.argv[flag + 1])] : [10, 100]
const NVFLARE_100 = 4.7 // s, NVFlare 2.7 `nvflare provision`, 1 server + 100 clients + 1 admin + HE, this machine kind

interface Run {
  clients: number
  participants: number
  wall: number
  rssMiB: number
  stages: Record<string, number>
}

function runOnce(clients: number, extra: string[] = []): Run {
  const out = execFileSync(
    tsx,
    [new URL('./provision-once.ts', import.meta.url).pathname, String(clients), ...extra],
    { encoding: 'utf8' },
  )
  return JSON.parse(out.trim().split('\n').pop()!) as Run
}

console.log(`fedforge provisioning benchmark — ${cpus().length} cores, Node ${process.version}`)
console.log(
  'clients | participants | wall s | participants/s | peak RSS MiB | stages (ms; keys overlap the others)',
)
for (const n of sizes) {
  const runs = [runOnce(n), runOnce(n)]
  const best = runs.reduce((a, b) => (a.wall < b.wall ? a : b))
  const stageText = Object.entries(best.stages)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ')
  console.log(
    `${n} | ${best.participants} | ${(best.wall / 1000).toFixed(2)} | ${(best.participants / (best.wall / 1000)).toFixed(1)} | ${best.rssMiB.toFixed(0)} | ${stageText}`,
  )
  if (n === 100) {
    console.log(
      `  vs NVFlare's own provisioning of the same project (${NVFLARE_100} s measured on this machine kind): ${(best.wall / 1000 / NVFLARE_100).toFixed(2)}x`,
    )
  }
}
const zipRun = runOnce(sizes[0]!, ['--zip'])
console.log(
  `with --zip, ${zipRun.clients} clients: wall ${(zipRun.wall / 1000).toFixed(2)} s, zip stage ${(zipRun.stages['package'] ?? zipRun.stages['zip'] ?? 0).toFixed(0)} ms`,
)

for (const script of ['keys.ts', 'he.ts']) {
  const path = new URL(`./${script}`, import.meta.url).pathname
  if (!existsSync(path)) continue
  console.log(`\n== bench/${script}`)
  console.log(execFileSync(tsx, [path], { encoding: 'utf8' }).trimEnd())
}
