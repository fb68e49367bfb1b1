// The CLI's entry point (bin/provision.js imports it) and its single exit point. Key generation is most of
// a provisioning run, so its workers start here, before the rest of the CLI (commander, zod, yaml,
// node-forge: about 0.2 s) has loaded; see early-start.ts.
import { startKeysEarly } from './early-start.js'

startKeysEarly(process.argv.slice(2))

// A closed pipe (`provision ... | head`) must not crash a run half-way: output is best effort.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}

const { main } = await import('./program.js')
process.exitCode = await main(process.argv.slice(2))
