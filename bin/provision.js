#!/usr/bin/env node
// Key generation is most of a provisioning run: its workers start before the rest of the CLI loads.
const { startKeysEarly } = await import('../dist/cli/early-start.js')
startKeysEarly(process.argv.slice(2))
await import('../dist/cli/main.js')
