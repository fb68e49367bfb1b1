import type { ProvisionEvent } from '../provision/events.js'
import { err } from './run.js'

export type RenderMode = 'tty' | 'plain' | 'json'

export function renderMode(json: boolean): RenderMode {
  if (json) return 'json'
  return process.stderr.isTTY ? 'tty' : 'plain'
}

/**
 * Turns progress events into terminal output on standard error: a progress bar on a terminal, a few
 * plain lines otherwise, nothing with --json (the result goes to standard output as one JSON document).
 */
export function createRenderer(mode: RenderMode): { onEvent: (e: ProvisionEvent) => void; done: () => void } {
  let barShown = false
  let lastPercent = -1
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[2K')
    barShown = false
  }
  const onEvent = (e: ProvisionEvent): void => {
    if (mode === 'json') return
    if (e.type === 'key-generated') {
      if (mode === 'tty') {
        process.stderr.write(`\r\x1b[2Kkeys ${bar(e.done / e.total)} ${e.done}/${e.total}`)
        barShown = true
      } else {
        const percent = Math.floor((e.done / e.total) * 4) * 25
        if (percent !== lastPercent || e.done === e.total) err(`keys: ${e.done}/${e.total}`)
        lastPercent = percent
      }
      return
    }
    const line = describe(e)
    if (line === undefined) return
    clearBar()
    err(line)
  }
  return { onEvent, done: clearBar }
}

function bar(fraction: number): string {
  const width = 30
  const filled = Math.round(fraction * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

function describe(e: ProvisionEvent): string | undefined {
  switch (e.type) {
    case 'stage':
      return e.stage === 'build' ? `- ${e.builder}` : undefined
    case 'warning':
      return `warning: ${e.message}`
    case 'he-context':
      return undefined
    default:
      return undefined
  }
}
