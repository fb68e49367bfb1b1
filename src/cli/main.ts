// The CLI's entry point (bin/provision.js imports it) and its single exit point. Key generation is most of
// a provisioning run, so its workers start here, before the rest of the CLI (commander, zod, yaml,
// node-forge: about 0.2 s) has loaded; see early-start.ts. This file owns that pool: it hands it to the
// command and closes it when the command is done.
import { startKeysEarly } from './early-start.js'

const args = process.argv.slice(2)
const earlyKeys = startKeysEarly(args)

// A closed pipe (`provision ... | head`) must not crash a run half-way: output is best effort.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}

try {
  const { main } = await import('./program.js')
  process.exitCode = await main(args, { earlyKeys })
} finally {
  await earlyKeys?.close() // unused keys (a run that needed fewer, or none) are dropped with it
}
