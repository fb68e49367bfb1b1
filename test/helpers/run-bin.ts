import { spawnSync } from 'node:child_process'
import { BIN } from './paths.js'

export interface BinResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built `provision` command with a time limit; standard input is not a terminal. */
export function runBin(args: string[], cwd: string, timeoutMs = 120_000): BinResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    input: '',
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
