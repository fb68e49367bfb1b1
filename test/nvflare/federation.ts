import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { joinedClient } from '../../src/recipe/envs/runtime/registration.js'

/** The PoC federation `job fedavg-he --poc` provisions (PocEnv's defaults). */
export const PROJECT = 'example_project'
export const SERVER = 'localhost'
export const CLIENTS = ['site-1', 'site-2'] as const
export const ADMIN = 'admin@nvidia.com'

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')

/** The server log's registration lines. */
export function registrationLines(serverKit: string): string[] {
  return readIfExists(join(serverKit, 'log.txt'))
    .split('\n')
    .filter((line) => joinedClient(line) !== undefined)
}

/** The last lines of each kit's log.txt (and of its job's log.txt), for failure messages. */
export function logTails(kitDirs: string[], jobId: string | undefined, lines = 15): string {
  return kitDirs
    .flatMap((dir) =>
      ['log.txt', ...(jobId ? [join(jobId, 'log.txt')] : [])].map((f) => {
        const text = readIfExists(join(dir, f)).trimEnd().split('\n').slice(-lines).join('\n')
        return `--- ${join(dir, f)}\n${text || '(empty or missing)'}`
      }),
    )
    .join('\n')
}
