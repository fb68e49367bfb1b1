// npm run bench [-- --clients 1000] [-- --key-source openssl|prime-search]: provisioning wall time,
// participants/s, peak RSS and stage shares, then NVFlare side by side (bench/side-by-side.ts), key generation
// and HE. Every script runs on the Node that runs this one (`/path/to/node node_modules/tsx/dist/cli.mjs
// bench/run.ts` benchmarks another Node line). Figures only; nothing is asserted.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus } from 'node:os'

const tsx = new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname
const arg = (name: string) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
const clientsFlag = arg('--clients')
const sizes = clientsFlag ? [Number(clientsFlag)] : [10, 100]
const keyFlag = arg('--key-source')
const keyArgs = keyFlag ? ['--key-source', keyFlag] : []

interface Run {
  clients: number
  participants: number
  keySource: string
  wall: number
  rssMiB: number
  stages: Record<string, number>
}

/** A script of bench/ on this Node, through tsx. */
function runScript(script: string, args: string[] = []): string {
  const path = new URL(`./${script}`, import.meta.url).pathname
  return execFileSync(process.execPath, [tsx, path, ...args], { encoding: 'utf8' })
}

function runOnce(clients: number, extra: string[] = []): Run {
  const out = runScript('provision-once.ts', [String(clients), ...keyArgs, ...extra])
  return JSON.parse(out.trim().split('\n').pop()!) as Run
}

console.log(
  `fedforge provisioning benchmark — ${cpus().length} cores, Node ${process.version}, OpenSSL ${process.versions.openssl}`,
)
console.log(
  'clients | participants | key source | wall s | participants/s | peak RSS MiB | stages, ms (share of wall)',
)
for (const n of sizes) {
  const runs = [runOnce(n), runOnce(n)]
  const best = runs.reduce((a, b) => (a.wall < b.wall ? a : b))
  const stageText = Object.entries(best.stages)
    .map(([k, v]) => `${k} ${v.toFixed(0)} (${((100 * v) / best.wall).toFixed(0)}%)`)
    .join(', ')
  console.log(
    `${n} | ${best.participants} | ${best.keySource} | ${(best.wall / 1000).toFixed(2)} | ${(best.participants / (best.wall / 1000)).toFixed(1)} | ${best.rssMiB.toFixed(0)} | ${stageText}`,
  )
}

const zipRun = runOnce(sizes[0]!, ['--zip'])
console.log(
  `with --zip, ${zipRun.clients} clients: wall ${(zipRun.wall / 1000).toFixed(2)} s, zip stage ${(zipRun.stages['zip'] ?? 0).toFixed(0)} ms`,
)

for (const script of ['side-by-side.ts', 'keys.ts', 'he.ts']) {
  if (!existsSync(new URL(`./${script}`, import.meta.url))) continue
  console.log(`\n== bench/${script}`)
  console.log(runScript(script, script === 'side-by-side.ts' ? keyArgs : []).trimEnd())
}
