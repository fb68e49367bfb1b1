import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { Layout } from '../layout.js'
import type { Project } from '../project/types.js'
import { readBounded } from './format.js'

const MAX_HE_KEY_BYTES = 32 * 1024 * 1024

/** True when the project's builders include HE (its clients get the federation's client context). */
export function usesHe(project: Project): boolean {
  return project.builders.some((b) => b.id === 'he')
}

function heStateProblem(message: string, hint: string, cause?: unknown): ProvisionError {
  return new ProvisionError('he-state', message, { hint, cause, exitCode: ExitCode.conflict })
}

/**
 * The client context every client kit of this workspace holds (state/he_context.tenseal: parameters and
 * the federation's secret key), checked to hold a secret key for the HE parameters project.yml gives.
 * he-builder (node-seal) is loaded only here, for HE projects, as the builder registry does.
 */
export async function readClientContext(project: Project, stateDir: string): Promise<Uint8Array> {
  const path = join(stateDir, Layout.heStateFile)
  if (!existsSync(path)) {
    throw heStateProblem(
      `${path} does not exist: this workspace has no HE key yet`,
      'provision the project centrally first (provision -p project.yml), which makes the HE key the clients share',
    )
  }
  const bytes = new Uint8Array(readBounded(path, MAX_HE_KEY_BYTES, 'HE key'))
  const he = await import('../../he-builder/index.js')
  const spec = project.builders.find((b) => b.id === 'he')
  const wanted = he.parseHeArgs(spec?.args ?? {})
  let context: Awaited<ReturnType<typeof he.HeContext.fromBytes>> | undefined
  try {
    context = await he.HeContext.fromBytes(bytes)
    if (!context.secretKey) throw new Error('the file holds no secret key')
  } catch (cause) {
    throw heStateProblem(`the HE key in ${path} cannot be read`, 'restore state/ from a backup', cause)
  }
  try {
    const kept = he.heParamsOf(context)
    if (!he.sameHeParams(kept, wanted)) {
      throw heStateProblem(
        `project.yml asks for HE ${he.describeHeParams(wanted)}, but the HE key in ${path} is for ${he.describeHeParams(kept)}`,
        'run the central provisioning first (with --rotate-he-key to change the parameters), then approve',
      )
    }
  } finally {
    context.delete()
  }
  return bytes
}
