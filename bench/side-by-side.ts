// npx tsx bench/side-by-side.ts [--rounds N] [--clients N] [--key-source M]: fedforge's CLI against NVFlare's provisioning
// work (bench/nvflare-like.py), 1 server + N clients + 1 admin with HE, run alternately on the same machine
// so that both see the same load. Each figure is a whole process, start to exit, writing to disk.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchProjectYaml } from './project.js'

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const rounds = arg('--rounds', 3)
const clients = arg('--clients', 100)
const keyAt = process.argv.indexOf('--key-source')
const keyArgs = keyAt > 0 ? ['--key-source', String(process.argv[keyAt + 1])] : []
const bin = new URL('../bin/provision.js', import.meta.url).pathname
const standIn = new URL('./nvflare-like.py', import.meta.url).pathname

/** Wall seconds of one process, and its standard output; throws when it fails. */
function timed(cmd: string, args: string[]): { seconds: number; stdout: string } {
  const start = performance.now()
  const run = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  const seconds = (performance.now() - start) / 1000
  if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${run.stderr || run.error}`)
  return { seconds, stdout: run.stdout }
}

function pythonKeyMs(): number | undefined {
  const code =
    'import time\nfrom cryptography.hazmat.primitives.asymmetric import rsa\n' +
    't=time.perf_counter()\nfor _ in range(10): rsa.generate_private_key(65537, 2048)\n' +
    'print((time.perf_counter()-t)*100)'
  try {
    return Number(
      execFileSync('python3', ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    )
  } catch {
    return undefined
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const keyMs = pythonKeyMs()
if (keyMs === undefined) {
  console.log('side by side: python3 with the cryptography package is not installed; skipped')
  process.exit(0)
}
const dir = mkdtempSync(join(tmpdir(), 'fedforge-side-'))
const ratios: number[] = []
try {
  const project = join(dir, 'project.yml')
  writeFileSync(project, benchProjectYaml(clients))
  console.log(
    `side by side, 1 server + ${clients} clients + 1 admin with HE, ${rounds} rounds (Python RSA-2048: ${keyMs.toFixed(0)} ms per key now; the issue measured 31)`,
  )
  console.log('round | fedforge s | key source | NVFlare-like s | ratio')
  for (let r = 1; r <= rounds; r++) {
    const run = timed(process.execPath, [
      bin,
      '-p',
      project,
      '-w',
      join(dir, `ours-${r}`),
      '--json',
      ...keyArgs,
    ])
    const ours = run.seconds
    const { keySource } = JSON.parse(run.stdout) as { keySource: string }
    const theirs = timed('python3', [standIn, String(clients), join(dir, `theirs-${r}`)]).seconds
    ratios.push(ours / theirs)
    console.log(
      `${r} | ${ours.toFixed(2)} | ${keySource} | ${theirs.toFixed(2)} | ${(ours / theirs).toFixed(2)}`,
    )
    rmSync(join(dir, `ours-${r}`), { recursive: true, force: true })
    rmSync(join(dir, `theirs-${r}`), { recursive: true, force: true })
  }
  console.log(`median ratio ${median(ratios).toFixed(2)} (target: at most 0.60)`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
