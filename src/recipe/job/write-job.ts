import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ProvisionError } from '../../errors.js'
import { fsError } from '../../provision/fs/fs-error.js'
import { resolveInside } from '../../provision/fs/safe-path.js'
import { writeFileWhole } from '../../provision/fs/write-whole.js'
import { FileMode } from '../../provision/layout.js'
import { BUNDLE_LIMITS } from '../bundle.js'
import { copyRegularFile } from './copy-file.js'
import { clientConfigJson, formatJson, type JobDefinition, metaJson, serverConfigJson } from './job-config.js'

/** NVFlare's job folder names. */
export const JobLayout = {
  meta: 'meta.json',
  app: 'app',
  config: 'config',
  custom: 'custom',
  serverConfig: 'config_fed_server.json',
  clientConfig: 'config_fed_client.json',
} as const

export interface WrittenJob {
  /** `<root>/<job name>` */
  jobDir: string
  /** Paths relative to jobDir, sorted. */
  files: string[]
}

/**
 * Writes `<root>/<job name>/` (meta.json, app/config/*.json, app/custom/*). The folder is built beside the
 * target and renamed into place; an existing folder is replaced only when it is a job (has meta.json).
 */
export function writeJob(root: string, job: JobDefinition): WrittenJob {
  const jobDir = resolveInside(root, job.name)
  if (existsSync(jobDir) && !existsSync(join(jobDir, JobLayout.meta))) {
    throw new ProvisionError('job-dir-occupied', `${jobDir} exists and is not an NVFlare job folder`, {
      hint: 'Choose another output folder or job name, or remove that folder.',
    })
  }
  mkdirSync(root, { recursive: true })
  const tmp = resolveInside(root, `.${job.name}.tmp-${process.pid}-${Date.now()}`)
  try {
    const files = writeJobFiles(tmp, job)
    rmSync(jobDir, { recursive: true, force: true })
    renameSync(tmp, jobDir)
    return { jobDir, files: files.sort() }
  } catch (error) {
    throw fsError(error, jobDir, 'write the job folder') // a full disk or a read-only folder: the user's to fix
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function writeJobFiles(dir: string, job: JobDefinition): string[] {
  const configDir = join(JobLayout.app, JobLayout.config)
  const entries: [string, string][] = [
    [JobLayout.meta, formatJson(metaJson(job))],
    [join(configDir, JobLayout.serverConfig), formatJson(serverConfigJson(job.server))],
    [join(configDir, JobLayout.clientConfig), formatJson(clientConfigJson(job.client))],
  ]
  for (const [rel, text] of entries) {
    const target = join(dir, rel)
    mkdirSync(dirname(target), { recursive: true })
    writeFileWhole(target, text, FileMode.file)
  }
  const customDir = join(dir, JobLayout.app, JobLayout.custom)
  let budget: number = BUNDLE_LIMITS.bytes
  const copied = job.customFiles.map((file) => {
    const target = resolveInside(customDir, file.target)
    mkdirSync(dirname(target), { recursive: true })
    budget -= copyRegularFile(file.source, target, budget)
    return join(JobLayout.app, JobLayout.custom, file.target)
  })
  return [...entries.map(([rel]) => rel), ...copied]
}
