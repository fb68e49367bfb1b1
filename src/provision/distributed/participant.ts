import { ExitCode, ProvisionError } from '../../errors.js'
import { orgProblem, participantNameProblem, roleProblem } from '../project/names.js'

/** The kinds of participant the distributed flow issues for. */
export const DISTRIBUTED_TYPES = ['client', 'admin', 'server'] as const
/** One of DISTRIBUTED_TYPES. */
export type DistributedType = (typeof DISTRIBUTED_TYPES)[number]

/** Who a request is for: the fields of a project.yml participant entry that the certificate carries. */
export interface ParticipantFields {
  name: string
  org: string
  type: DistributedType
  /** An admin's role (unstructuredName in its certificate); undefined for the others. */
  role?: string | undefined
}

export function isDistributedType(value: unknown): value is DistributedType {
  return typeof value === 'string' && (DISTRIBUTED_TYPES as readonly string[]).includes(value)
}

/**
 * The problems of the fields on their own (the name rules of the type, org, role), with the same rules
 * and messages as project.yml. The admin's approve also runs the project's rules (a unique name, ...).
 */
export function fieldProblems(f: ParticipantFields): string[] {
  const problems: string[] = []
  const name = participantNameProblem(f.type, f.name)
  if (name) problems.push(`name: ${name}`)
  const org = orgProblem(f.org)
  if (org) problems.push(`org: ${org}`)
  if (f.type === 'admin') {
    const role =
      f.role === undefined
        ? 'an admin needs a role (such as project_admin, org_admin, lead, member)'
        : roleProblem(f.role)
    if (role) problems.push(`role: ${role}`)
  } else if (f.role !== undefined) {
    problems.push(`role: only an admin has a role, not a ${f.type}`)
  }
  return problems
}

/** Throws one ProvisionError (exit 2) listing every problem of the fields. */
export function checkFields(f: ParticipantFields, where: string): void {
  const problems = fieldProblems(f)
  if (problems.length === 0) return
  throw new ProvisionError(
    'distributed-bad-file',
    `${where}: the participant fields have ${problems.length} problem(s)`,
    {
      problems,
      exitCode: ExitCode.badInput,
      hint: 'names follow the project.yml rules: letters, digits, _ and - for sites, an e-mail address for admins',
    },
  )
}

export function sameFields(a: ParticipantFields, b: ParticipantFields): boolean {
  return a.name === b.name && a.org === b.org && a.type === b.type && (a.role ?? '') === (b.role ?? '')
}

export function describeFields(f: ParticipantFields): string {
  return `${f.type} "${f.name}" of org "${f.org}"${f.role ? ` with role "${f.role}"` : ''}`
}
