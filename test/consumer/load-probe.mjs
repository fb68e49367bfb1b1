// Preloaded with `node --import` by library-example.test.ts: reports, on stderr, every module the process
// resolves (`probe:load <url>`) and every worker thread it starts (`probe:worker <script>`). Workers
// inherit --import, so the modules they load are reported too.

import { writeSync } from 'node:fs'
import { register, syncBuiltinESMExports } from 'node:module'
import workerThreads from 'node:worker_threads'

const hooks = `
import { writeSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  writeSync(2, 'probe:load ' + resolved.url + '\\n')
  return resolved
}
`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)

const Worker = workerThreads.Worker
workerThreads.Worker = class ProbedWorker extends Worker {
  constructor(script, options) {
    writeSync(2, `probe:worker ${String(script)}\n`)
    super(script, options)
  }
}
syncBuiltinESMExports()
