import type { ParticipantEntry, ProjectFile } from './schema.js'
import type { KeyPath } from './source.js'

/** The vocabulary of the project rules (rules*.ts), in one place that the rules and the loader import. */

/** One finding of the rules: where it is and what was expected. */
export interface Finding {
  path: KeyPath
  message: string
  /** Where to point when the key path has no position of its own (a YAML syntax error, a binary byte). */
  pos?: { line: number; col: number }
}

/** Everything the rules found in a file. */
export interface RuleResult {
  problems: Finding[]
  warnings: Finding[]
}

/** A participant entry that passed the schema, with its index in `participants`. */
export interface IndexedEntry {
  index: number
  entry: ParticipantEntry
}

/** What every rule looks at: the parts of the file that passed the schema. */
export interface RuleInput {
  file: Partial<ProjectFile>
  entries: readonly IndexedEntry[]
  /** The folder files named by builder arguments are relative to (the project file's folder). */
  baseDir: string
}

/** How a rule reports: a problem refuses the file; a warning is shown and the file is used. */
export interface Reporter {
  problem(path: KeyPath, message: string): void
  warning(path: KeyPath, message: string): void
}

/** One rule of a project file. Rules report through `report` and return nothing. */
export type Rule = (input: RuleInput, report: Reporter) => void

/** A Reporter that collects into a RuleResult. */
export function collectFindings(): { result: RuleResult; report: Reporter } {
  const result: RuleResult = { problems: [], warnings: [] }
  return {
    result,
    report: {
      problem: (path, message) => result.problems.push({ path, message }),
      warning: (path, message) => result.warnings.push({ path, message }),
    },
  }
}
