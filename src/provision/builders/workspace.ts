import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type BuilderFactory, defineBuilder } from '../builder.js'
import type { ProvisionContext } from '../context.js'
import { FileMode, Layout } from '../layout.js'
import type { Participant } from '../project/types.js'

/** The folders of every kit: startup/ and local/ for all, transfer/ for all but relays. */
export function kitFolders(p: Pick<Participant, 'type'>): string[] {
  return p.type === 'relay' ? [Layout.startup, Layout.local] : [Layout.startup, Layout.local, Layout.transfer]
}

/** startup/ holds the private key (and a client's HE secret key): owner only, like state/. */
export function kitFolderMode(folder: string): number {
  return folder === Layout.startup ? FileMode.secretDir : FileMode.dir
}

function buildWorkspace(ctx: ProvisionContext): void {
  for (const p of ctx.project.participants) {
    const dir = ctx.kitDir(p)
    mkdirSync(dir, { recursive: true, mode: FileMode.dir })
    for (const folder of kitFolders(p)) {
      const mode = kitFolderMode(folder)
      mkdirSync(join(dir, folder), { recursive: true, mode })
      chmodSync(join(dir, folder), mode)
    }
  }
}

export const workspaceBuilderFactory: BuilderFactory = defineBuilder({
  id: 'workspace',
  nvflarePaths: ['nvflare.lighter.impl.workspace.WorkspaceBuilder'],
  phase: 10,
  description: 'kit folders (startup/, local/, transfer/) for every participant',
  requires: [],
  provides: ['kit-folders'],
  // NVFlare's template_file argument names its own template files; ours are built in, so it is ignored.
  create: () => ({ name: 'workspace', build: buildWorkspace }),
})
