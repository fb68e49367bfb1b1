import { isWindowsReserved } from './names.js'
import { checkBuilderArgs } from './rules-builders.js'
import {
  checkBuilders,
  checkOneServer,
  checkReferences,
  checkStudies,
  checkUniqueNames,
} from './rules-links.js'
import { checkParticipant } from './rules-participant.js'
import type { ParticipantEntry, ProjectFile } from './schema.js'
import type { KeyPath } from './source.js'

/** One finding of the rules: where it is and what was expected. */
export interface Finding {
  path: KeyPath
  message: string
  /** Where to point when the key path has no position of its own (a YAML syntax error, a binary byte). */
  pos?: { line: number; col: number }
}

export interface RuleResult {
  problems: Finding[]
  warnings: Finding[]
}

/** A participant entry that passed the schema, with its index in `participants`. */
export interface IndexedEntry {
  index: number
  entry: ParticipantEntry
}

export const MAX_PARTICIPANTS = 10_000
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/**
 * Cross-field rules of a project file (names, uniqueness, one server, references, studies, builders and
 * their arguments). Files named by builder arguments are relative to `baseDir` (the project file's folder).
 */
export function checkRules(
  file: Partial<ProjectFile>,
  entries: IndexedEntry[],
  baseDir = process.cwd(),
): RuleResult {
  const result: RuleResult = { problems: [], warnings: [] }
  const problem = (path: KeyPath, message: string) => result.problems.push({ path, message })
  if (typeof file.name === 'string' && !PROJECT_NAME.test(file.name)) {
    problem(
      ['name'],
      `expected a project name of letters, digits, '_', '.' and '-' (1-64 characters, not starting with '.' or '-'), got ${JSON.stringify(file.name.slice(0, 80))}`,
    )
  } else if (typeof file.name === 'string' && isWindowsReserved(file.name)) {
    problem(
      ['name'],
      `${JSON.stringify(file.name)} is a device name reserved on Windows; choose another project name`,
    )
  }
  if (Array.isArray(file.participants) && file.participants.length > MAX_PARTICIPANTS) {
    problem(
      ['participants'],
      `expected at most ${MAX_PARTICIPANTS} participants, got ${file.participants.length}`,
    )
    return result
  }
  for (const { index, entry } of entries) checkParticipant(entry, ['participants', index], result)
  checkUniqueNames(entries, problem)
  checkOneServer(entries, Array.isArray(file.participants), problem)
  checkReferences(entries, problem)
  checkStudies(file, entries, problem)
  checkBuilders(file, problem)
  checkBuilderArgs(file, baseDir, problem)
  return result
}
