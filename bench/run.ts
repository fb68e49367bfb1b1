// npm run bench [-- --clients 1000]: provisioning wall time, participants/s, peak RSS and stage shares,
// then NVFlare side by side (bench/side-by-side.ts), key generation and HE. Figures only; nothing is asserted.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'

const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname
const flag = process.argv.indexOf('--clients')
const sizes = flag > 0 ? [Number(process.argv[flag + 1])] : [10, 100]

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
console.log('clients | participants | wall s | participants/s | peak RSS MiB | stages, ms (share of wall)')
for (const n of sizes) {
  const runs = [runOnce(n), runOnce(n)]
  const best = runs.reduce((a, b) => (a.wall < b.wall ? a : b))
  const stageText = Object.entries(best.stages)
    .map(([k, v]) => `${k} ${v.toFixed(0)} (${((100 * v) / best.wall).toFixed(0)}%)`)
    .join(', ')
  console.log(
    `${n} | ${best.participants} | ${(best.wall / 1000).toFixed(2)} | ${(best.participants / (best.wall / 1000)).toFixed(1)} | ${best.rssMiB.toFixed(0)} | ${stageText}`,
  )
}

const zipRun = runOnce(sizes[0]!, ['--zip'])
console.log(
  `with --zip, ${zipRun.clients} clients: wall ${(zipRun.wall / 1000).toFixed(2)} s, zip stage ${(zipRun.stages['zip'] ?? 0).toFixed(0)} ms`,
)

for (const script of ['side-by-side.ts', 'keys.ts', 'he.ts']) {
  const path = new URL(`./${script}`, import.meta.url).pathname
  if (!existsSync(path)) continue
  console.log(`\n== bench/${script}`)
  console.log(execFileSync(tsx, [path], { encoding: 'utf8' }).trimEnd())
}
