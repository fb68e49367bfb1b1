import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** The file NVFlare's PyTorch persistor keeps the global model in (the server's app folder). */
export const GLOBAL_MODEL_FILE = 'FL_global_model.pt'
const MAX_ENTRIES = 5000

/**
 * The global model in a downloaded job result (`workspace/app_server/FL_global_model.pt`, or wherever a
 * custom app put it), looked for in at most MAX_ENTRIES folder entries; undefined when there is none.
 */
export function findGlobalModel(resultDir: string | undefined): string | undefined {
  if (!resultDir || !existsSync(resultDir)) return undefined
  const usual = join(resultDir, 'workspace', 'app_server', GLOBAL_MODEL_FILE)
  if (existsSync(usual)) return usual
  const queue = [resultDir]
  let seen = 0
  while (queue.length > 0 && seen < MAX_ENTRIES) {
    const dir = queue.shift()!
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      seen++
      const path = join(dir, entry.name)
      if (entry.isFile() && entry.name === GLOBAL_MODEL_FILE) return path
      if (entry.isDirectory()) queue.push(path)
    }
  }
  return undefined
}

/** The server's job log in a downloaded result, when there is one. */
export function serverJobLog(resultDir: string | undefined): string | undefined {
  const log = resultDir ? join(resultDir, 'workspace', 'log.txt') : undefined
  return log && existsSync(log) ? log : undefined
}
