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
  if (n === 100) compareWithNvflare(best.wall / 1000)
}

/**
 * NVFlare cannot be installed here (no PyPI), so its dominant work is replayed side by side with the same
 * Python library it uses (bench/nvflare-like.py: keys, certificates, signatures; no HE, no templates).
 */
function compareWithNvflare(ours: number): void {
  console.log(
    `  vs NVFlare's own provisioning, ${NVFLARE_100} s when the issue measured it: ${(ours / NVFLARE_100).toFixed(2)}x`,
  )
  try {
    const script = new URL('./nvflare-like.py', import.meta.url).pathname
    const out = execFileSync('python3', [script, '100'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const like = (JSON.parse(out) as { wall: number }).wall
    console.log(
      `  vs NVFlare's key, certificate and signature work in Python (cryptography), just now: ${like.toFixed(2)} s, ours ${(ours / like).toFixed(2)}x`,
    )
  } catch {
    console.log('  (python3 with the cryptography package is not installed: no side-by-side figure)')
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
