import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { sleep } from './processes.js'

export const PROJECT = 'it_project'
export const SERVER = 'localhost'
export const CLIENTS = ['site-1', 'site-2'] as const
export const ADMIN = 'admin@it.example.com'

/** A TCP port that is free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** 1 server (named localhost, so that it resolves), 2 clients, 1 project admin, HE, scheme grpc. */
export function writeProject(file: string, fedLearnPort: number, adminPort: number): void {
  const yaml = `api_version: 3
name: ${PROJECT}
description: fedforge integration test on the real NVFlare runtime
participants:
  - {name: ${SERVER}, type: server, org: it, fed_learn_port: ${fedLearnPort}, admin_port: ${adminPort}}
${CLIENTS.map((c) => `  - {name: ${c}, type: client, org: it}`).join('\n')}
  - {name: ${ADMIN}, type: admin, org: it, role: project_admin}
builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
    args: {config_folder: config, scheme: grpc}
  - path: nvflare.lighter.impl.cert.CertBuilder
  - path: nvflare.lighter.impl.he.HEBuilder
  - path: nvflare.lighter.impl.signature.SignatureBuilder
`
  writeFileSync(file, yaml)
}

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')

/** The clients the server log says joined (NVFlare 2.7 - main: `New client site-1@<addr> joined`). */
export function registeredClients(serverKit: string): string[] {
  const log = readIfExists(join(serverKit, 'log.txt'))
  return [...new Set([...log.matchAll(/New client (\S+?)@\S* joined/g)].map((m) => m[1]!))].sort()
}

/** The server log's registration lines. */
export function registrationLines(serverKit: string): string[] {
  return readIfExists(join(serverKit, 'log.txt'))
    .split('\n')
    .filter((line) => /New client \S+@\S* joined/.test(line))
}

/** Waits (at most `timeoutMs`) until every client has registered; throws with the logs' tails otherwise. */
export async function waitForRegistration(
  serverKit: string,
  kitDirs: string[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const joined = registeredClients(serverKit)
    if (CLIENTS.every((c) => joined.includes(c))) return joined
    if (Date.now() > deadline) {
      throw new Error(
        `clients registered after ${timeoutMs / 1000} s: [${joined.join(', ')}], expected ${CLIENTS.join(', ')}\n${logTails(kitDirs)}`,
      )
    }
    await sleep(1000)
  }
}

/** The last lines of each kit's start.sh output and log.txt, for failure messages. */
export function logTails(kitDirs: string[], lines = 15): string {
  return kitDirs
    .flatMap((dir) =>
      ['start.out', 'log.txt'].map((f) => {
        const text = readIfExists(join(dir, f)).trimEnd().split('\n').slice(-lines).join('\n')
        return `--- ${join(dir, f)}\n${text || '(empty or missing)'}`
      }),
    )
    .join('\n')
}
