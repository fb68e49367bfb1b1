import { spawn } from 'node:child_process'

/** One child process run to its end, bounded by `timeoutMs`; its stdout lines that are JSON, parsed. */
export interface ProcessRun {
  code: number | null
  events: Record<string, unknown>[]
  stdout: string
  stderr: string
}

export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  cwd?: string,
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    // SIGINT: the bin stops its federation and exits 130, as after Ctrl-C
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`cannot run ${command}: ${e.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, events: parseJsonLines(stdout), stdout, stderr })
    })
  })
}

function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{') && line.trim().endsWith('}'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
