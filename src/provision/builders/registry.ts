import { type BuilderFactory, defineBuilder } from '../builder.js'
import { certBuilderFactory } from './cert.js'
import { dockerBuilderFactory } from './docker.js'
import { zipBuilderFactory } from './package.js'
import { signatureBuilderFactory } from './signature.js'
import { staticFilesBuilderFactory } from './static-files.js'
import { workspaceBuilderFactory } from './workspace.js'

/** The HE builder: node-seal and the he-builder module are loaded only when a project asks for HE. */
const heBuilderFactory: BuilderFactory = defineBuilder({
  id: 'he',
  nvflarePaths: ['nvflare.lighter.impl.he.HEBuilder'],
  phase: 50,
  description: 'TenSEAL CKKS contexts: server_context.tenseal (no secret key), client_context.tenseal',
  requires: ['kit-folders'],
  provides: ['he'],
  create: async (args) => (await import('../../he-builder/builder.js')).createHeBuilder(args),
})

/**
 * Every builder a project file can name: our short name or NVFlare's class path. Adding a builder is one
 * file and one line here.
 */
export const BUILTIN_BUILDERS: readonly BuilderFactory[] = [
  workspaceBuilderFactory,
  staticFilesBuilderFactory,
  dockerBuilderFactory,
  certBuilderFactory,
  heBuilderFactory,
  signatureBuilderFactory,
  zipBuilderFactory,
]

/** The builders a project gets when its file lists none. */
export const DEFAULT_BUILDER_IDS = ['workspace', 'static', 'cert', 'signature'] as const

export function findBuilder(path: string): BuilderFactory | undefined {
  const wanted = path.trim()
  return BUILTIN_BUILDERS.find((f) => f.id === wanted.toLowerCase() || f.nvflarePaths.includes(wanted))
}

/** One entry per builder for error messages and `--help`. */
export function knownBuilderNames(): string {
  return BUILTIN_BUILDERS.map((f) => [f.id, ...f.nvflarePaths].join(' | ')).join('; ')
}
