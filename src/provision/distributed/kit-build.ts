import { ProvisionError } from '../../errors.js'
import { buildKitFiles, parseStaticArgs } from '../builders/static-files.js'
import type { ProvisionContext } from '../context.js'
import { resolveInside } from '../fs/safe-path.js'
import { FileMode } from '../layout.js'
import type { KeySource } from '../pki/key-source.js'
import type { Participant, Project } from '../project/types.js'
import type { NvflareVersion } from '../targets/version.js'
import type { KitFile } from './approval.js'

/** A path root that is never created: the kit is built in memory and travels in the approval file. */
const VIRTUAL_WIP = '/fedforge-approve-in-memory'

/**
 * A ProvisionContext whose writeFile keeps the files of one kit in memory (path relative to the kit),
 * so that the central builders' own functions write the kit of the participant approve issues for.
 */
function memoryContext(
  project: Project,
  target: NvflareVersion,
  kit: string,
  files: Map<string, KitFile>,
  now: () => Date,
): ProvisionContext {
  const none = () => {
    throw new Error('approve: a builder step the distributed flow does not run was called')
  }
  return {
    project,
    target,
    options: { genScripts: false, zip: false, rotateHeKey: false },
    projectDir: VIRTUAL_WIP,
    stateDir: VIRTUAL_WIP,
    wipDir: VIRTUAL_WIP,
    prodDir: VIRTUAL_WIP,
    now,
    signal: new AbortController().signal,
    emit: () => {},
    kitDir: (p) => resolveInside(VIRTUAL_WIP, typeof p === 'string' ? p : p.name),
    writeFile(relPath, data, mode = FileMode.file) {
      const where = resolveInside(VIRTUAL_WIP, relPath)
      const prefix = `${kit}/`
      if (!relPath.startsWith(prefix)) throw new Error(`approve: ${relPath} is not a file of kit ${kit}`)
      const path = relPath.slice(prefix.length)
      files.set(path, { path, mode, data: Buffer.from(data) })
      return where
    },
    takeWritten: () => undefined,
    stageState: none,
    stagedState: new Map(),
    pki: undefined,
    he: undefined,
    keys: { source: NO_KEYS, closeWhenDone: false },
  }
}

/** The distributed flow makes no key here (the site made its own): a key source that refuses. */
const NO_KEYS: KeySource = {
  name: 'none',
  prefetch: () => {},
  take: () => Promise.reject(new Error('approve: a builder step asked for a new key')),
  close: async () => {},
}

/** The static builder's arguments as project.yml gives them. */
function staticArgs(project: Project) {
  const spec = project.builders.find((b) => b.id === 'static')
  if (!spec) {
    throw new ProvisionError(
      'distributed-no-static-builder',
      'project.yml lists no static files builder, so there are no kit configs to approve with',
      {
        hint: 'add nvflare.lighter.impl.static_file.StaticFileBuilder to the builders of project.yml, as central provisioning needs it too',
      },
    )
  }
  return parseStaticArgs(spec.args)
}

/**
 * The configs, scripts, readme and local/ files of `p`'s kit for NVFlare `target`, exactly as the central
 * run writes them.
 */
export function staticKitFiles(
  project: Project,
  target: NvflareVersion,
  p: Participant,
  now: () => Date,
): KitFile[] {
  const files = new Map<string, KitFile>()
  buildKitFiles(memoryContext(project, target, p.name, files, now), p, staticArgs(project))
  return [...files.values()]
}
