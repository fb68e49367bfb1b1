import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { kitScripts } from '../../../src/provision/builders/static-scripts.js'
import type { Participant } from '../../../src/provision/project/types.js'
import { client } from '../../helpers/project-fixtures.js'
import { useTempDir } from '../../helpers/temp.js'

/**
 * A kit folder with our real start scripts and a fake `python3` first on PATH, for the shell tests.
 * The fake records each run (its pid in state/runs, its argv in state/argv-N) and behaves as FAKE_MODE says.
 */

const FAKE_PYTHON = `#!/usr/bin/env bash
# Fake python3 of the start-script tests. FAKE_STATE: a folder for its records. FAKE_IMPORT: a module the
# import check reports as missing. FAKE_MODE: what a run does (run, die, always-crash, crash-then-run:K,
# restart-once, ignore-term, flood).
state="\${FAKE_STATE:?}"
# first, so that no SIGTERM can arrive before it (a run is recorded only after it)
[ "\${FAKE_MODE:-}" = ignore-term ] && trap '' TERM
case "\${1:-}" in
  -V) echo "Python 3.11.2"; exit 0 ;;
  -c)
    [ -z "\${FAKE_IMPORT:-}" ] && exit 0
    cat >&2 <<EOF
Traceback (most recent call last):
  File "<string>", line 1, in <module>
  File "/usr/lib/python3.11/importlib/__init__.py", line 126, in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
  File "/opt/site-packages/nvflare/fuel/utils/fobs/__init__.py", line 15, in <module>
    import \${FAKE_IMPORT%%.*}
ModuleNotFoundError: No module named '\${FAKE_IMPORT}'
EOF
    exit 1 ;;
esac
run=$(( $(cat "$state/runs" 2>/dev/null | wc -l) + 1 ))
echo "$$" >>"$state/runs"
printf '%s\\n' "$@" >"$state/argv-$run"
workspace=''; seen=0; prev=''
for a in "$@"; do
  if [ "$prev" = -m ]; then seen=$((seen + 1)); [ "$seen" = 2 ] && workspace="$a"; fi
  prev="$a"
done
echo "fake flare: run $run, pid $$"
# Blocks without a child process (a read on a FIFO nobody writes), so a signal ends exactly this process.
forever() { mkfifo "$state/fifo-$$"; exec 3<>"$state/fifo-$$"; read -r -u 3 _; }
case "\${FAKE_MODE:-run}" in
  run) forever ;;
  die)
    echo "ConfigError: Can't load class nvflare.app_common.logging.job_log_receiver.JobLogReceiver: No module named 'nvflare.app_common.logging.job_log_receiver'" >&2
    exit 103 ;;
  always-crash) echo "fake crash $run" >&2; exit 1 ;;
  crash-then-run:*)
    if [ "$run" -le "\${FAKE_MODE#crash-then-run:}" ]; then echo "fake crash $run" >&2; exit 1; fi
    forever ;;
  restart-once)
    if [ "$run" = 1 ]; then touch "$workspace/restart.fl"; exit 0; fi
    forever ;;
  ignore-term) forever ;;
  flood) head -c 21000000 /dev/zero | tr '\\0' x; echo; forever ;;
esac
`

export interface FakeKit {
  root: string
  kit: string
  startup: string
  state: string
  env: NodeJS.ProcessEnv
}

/** A client participant as the scripts need it (name, org, kind). */
export const clientParticipant = (name: string): Participant => client(name, { org: 'org_a' })

/** Writes the fake python3 into `root`/bin and returns the environment that puts it first on PATH. */
export function fakePythonEnv(root: string, state: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const bin = join(root, 'bin')
  mkdirSync(bin, { recursive: true })
  mkdirSync(state, { recursive: true })
  writeFileSync(join(bin, 'python3'), FAKE_PYTHON)
  chmodSync(join(bin, 'python3'), 0o755)
  return {
    ...process.env,
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    FAKE_STATE: state,
    ...extra,
  }
}

/** Writes the scripts of `participant` into `root`/`folder`/startup. */
export function writeKit(
  root: string,
  folder: string,
  participant: Participant,
  configFolder = 'config',
): string {
  const startup = join(root, folder, 'startup')
  mkdirSync(startup, { recursive: true })
  for (const [file, text] of Object.entries(kitScripts(participant, configFolder))) {
    writeFileSync(join(startup, file), text)
    chmodSync(join(startup, file), 0o755)
  }
  return join(root, folder)
}

/** A client kit `site-1` with the fake python3; `root` is a fresh temp dir (resolved, as the scripts see it). */
export function fakeKit(tempRoot: string, extra: NodeJS.ProcessEnv = {}): FakeKit {
  const root = realpathSync(tempRoot)
  const state = join(root, 'state')
  const env = fakePythonEnv(root, state, extra)
  const kit = writeKit(root, 'site-1', clientParticipant('site-1'))
  return { root, kit, startup: join(kit, 'startup'), state, env }
}

/** Runs a script of the kit with bash and waits for it. */
export function runScript(
  k: FakeKit,
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  return spawnSync('bash', [join(k.startup, script), ...args], {
    cwd: k.root,
    env: { ...k.env, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  })
}

/**
 * Starts sub_start.sh in the background as start.sh does (nohup, from a shell that exits at once), so that
 * it is not a child of this test process, whose event loop cannot reap it while a spawnSync runs.
 */
export function startSupervisor(k: FakeKit): void {
  const script = join(k.startup, 'sub_start.sh')
  const log = join(k.kit, 'console_log.txt')
  spawnSync('bash', ['-c', 'nohup "$0" --log "$1" </dev/null >/dev/null 2>&1 &', script, log], {
    cwd: k.root,
    env: k.env,
  })
}

export const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')

/** The pids of the fake FLARE runs so far, in order. */
export function runs(k: FakeKit): number[] {
  return read(join(k.state, 'runs')).split('\n').filter(Boolean).map(Number)
}

/** True while `pid` runs: a zombie (ended, not yet collected by its new parent, init) does not count. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\S+ \(.*\) Z/s.test(stat)
  } catch {
    return false
  }
}

/** Live processes whose command line mentions `dir` (our supervisor and the fake python name the kit path). */
export function processesUnder(dir: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (cmdline.includes(dir) && Number(entry) !== process.pid) found.push(Number(entry))
  }
  return found
}

/** The pid of run `n` of the fake, once it has started and is the one pid.fl names. */
export async function waitForRun(k: FakeKit, n: number): Promise<number> {
  await waitFor(() => {
    const pid = runs(k)[n - 1]
    return pid !== undefined && alive(pid) && Number(read(join(k.kit, 'pid.fl'))) === pid
  }, `run ${n} of the fake FLARE process`)
  return runs(k)[n - 1] ?? 0
}

/** Polls `condition` until it holds; fails after `timeoutMs` (a generous bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Waits until the live processes under `dir` are exactly `expected` (a shell script's momentary forks for
 * `$(...)` carry its command line too, so one look could count them); fails after a generous bound.
 */
export async function expectProcesses(dir: string, expected: readonly number[]): Promise<void> {
  const want = [...expected].sort().join(' ')
  let seen = ''
  try {
    await waitFor(
      () => {
        seen = processesUnder(dir).sort().join(' ')
        return seen === want
      },
      `processes [${want}]`,
      60_000,
    )
  } catch {
    throw new Error(`processes under ${dir}: expected [${want}], found [${seen}]`)
  }
}

/** Kills what a failed test left running under `dir`. */
export function killAllUnder(dir: string): void {
  for (const pid of processesUnder(dir)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/**
 * In a describe block: a temp dir per test and `kit(env)`, which makes a fake kit in it; every process
 * under a kit made this way is killed after each test.
 */
export function useFakeKits(prefix: string): (env?: NodeJS.ProcessEnv) => FakeKit {
  const tempDir = useTempDir(prefix)
  let kits: FakeKit[] = []
  afterEach(() => {
    for (const k of kits) killAllUnder(k.root)
    kits = []
  })
  return (env: NodeJS.ProcessEnv = {}) => {
    const k = fakeKit(tempDir(), env)
    kits.push(k)
    return k
  }
}
