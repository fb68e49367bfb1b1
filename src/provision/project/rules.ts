import { collectFindings, type IndexedEntry, type Rule, type RuleResult } from './findings.js'
import { isWindowsReserved } from './names.js'
import { checkBuilderArgs, checkBuilderDependencies, checkBuilders } from './rules-builders.js'
import { checkOneServer, checkReferences, checkStudies, checkUniqueNames } from './rules-links.js'
import { checkParticipants } from './rules-participant.js'
import type { ProjectFile } from './schema.js'

export const MAX_PARTICIPANTS = 10_000
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

const checkProjectName: Rule = ({ file }, report) => {
  if (typeof file.name === 'string' && !PROJECT_NAME.test(file.name)) {
    report.problem(
      ['name'],
      `expected a project name of letters, digits, '_', '.' and '-' (1-64 characters, not starting with '.' or '-'), got ${JSON.stringify(file.name.slice(0, 80))}`,
    )
  } else if (typeof file.name === 'string' && isWindowsReserved(file.name)) {
    report.problem(
      ['name'],
      `${JSON.stringify(file.name)} is a device name reserved on Windows; choose another project name`,
    )
  }
}

/** Every rule, in the order its findings are listed. */
const RULES: readonly Rule[] = [
  checkProjectName,
  checkParticipants,
  checkUniqueNames,
  checkOneServer,
  checkReferences,
  checkStudies,
  checkBuilders,
  checkBuilderDependencies,
  checkBuilderArgs,
]

/**
 * Cross-field rules of a project file (names, uniqueness, one server, references, studies, builders,
 * their dependencies and their arguments). Files named by builder arguments are relative to `baseDir`
 * (the project file's folder).
 */
export function checkRules(
  file: Partial<ProjectFile>,
  entries: readonly IndexedEntry[],
  baseDir = process.cwd(),
): RuleResult {
  const { result, report } = collectFindings()
  const input = { file, entries, baseDir }
  if (Array.isArray(file.participants) && file.participants.length > MAX_PARTICIPANTS) {
    checkProjectName(input, report)
    report.problem(
      ['participants'],
      `expected at most ${MAX_PARTICIPANTS} participants, got ${file.participants.length}`,
    )
    return result
  }
  for (const rule of RULES) rule(input, report)
  return result
}
