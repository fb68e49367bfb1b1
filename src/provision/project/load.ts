import { basename, dirname, resolve } from 'node:path'
import type { z } from 'zod'
import { ExitCode, ProvisionError } from '../../errors.js'
import { readFileBounded } from '../fs/read-bounded.js'
import type { Finding, IndexedEntry } from './findings.js'
import { normalizeProject } from './normalize.js'
import { MAX_FILE_BYTES, parseYaml } from './parse-yaml.js'
import { checkRules } from './rules.js'
import { type ProjectFile, participantSchema, projectFileSchema } from './schema.js'
import type { KeyPath, SourceMap } from './source.js'
import type { Project } from './types.js'

/** Participants added for one run with `--add-client FILE` / `--add-user FILE`. */
export interface ProjectExtras {
  addClients?: string[]
  addUsers?: string[]
}

/** Reads, validates and normalizes a project file. Throws one ProvisionError listing every problem. */
export function loadProjectFile(path: string, extras: ProjectExtras = {}): Project {
  const text = readText(path, 'project file')
  const appended = [
    ...(extras.addClients ?? []).map((file) => loadAddition(file, 'client')),
    ...(extras.addUsers ?? []).map((file) => loadAddition(file, 'admin')),
  ]
  return loadProject(text, basename(path), appended, { baseDir: dirname(resolve(path)) })
}

export interface LoadOptions {
  /** The folder that files named in the project (a docker requirements_file) are relative to; default cwd. */
  baseDir?: string
}

/** Validates project.yml text. `appended` participants (already shape-checked) join the list. */
export function loadProject(
  text: string | Uint8Array,
  fileName = 'project.yml',
  appended: Appended[] = [],
  options: LoadOptions = {},
): Project {
  const baseDir = options.baseDir ?? process.cwd()
  const parsed = parseYaml(text, fileName)
  const source = parsed.source
  if (parsed.problems.length > 0) throw invalid(fileName, parsed.problems, source, appended)
  const data = parsed.data as Record<string, unknown>
  const original = Array.isArray(data['participants']) ? data['participants'].length : 0
  if (appended.length > 0 && Array.isArray(data['participants'])) {
    data['participants'] = [...data['participants'], ...appended.map((a) => a.entry)]
  }
  const problems: Finding[] = []
  const checked = projectFileSchema.safeParse(data)
  if (!checked.success) problems.push(...checked.error.issues.map((i) => toFinding(i, data)))
  // When the whole file passed the schema its parsed form is used as it is; otherwise the rules look at
  // the parts that did pass, so that every problem is reported in one go.
  const entries = checked.success
    ? checked.data.participants.map((entry, index) => ({ index, entry }))
    : validEntries(data['participants'])
  const rules = checkRules(checked.success ? checked.data : validTopLevel(data), entries, baseDir)
  problems.push(...rules.problems)
  if (problems.length > 0 || !checked.success) throw invalid(fileName, problems, source, appended, original)
  const warnings = rules.warnings.map((w) => describe(w, source, appended, original))
  const project = normalizeProject(checked.data, warnings, baseDir)
  if (Array.isArray(data['builders'])) {
    project.builders.forEach((b, i) => {
      b.where = source.where(['builders', i, 'args'])
    })
  }
  return project
}

/** A participant from an --add-client / --add-user file. */
export interface Appended {
  file: string
  entry: Record<string, unknown>
}

function loadAddition(file: string, type: 'client' | 'admin'): Appended {
  const what = type === 'client' ? '--add-client file' : '--add-user file'
  const parsed = parseYaml(readText(file, what, ADDITION_HINT), basename(file))
  if (parsed.problems.length > 0) throw invalid(basename(file), parsed.problems, parsed.source, [])
  const entry = { ...(parsed.data as Record<string, unknown>), type }
  return { file: basename(file), entry }
}

const PROJECT_HINT =
  'Pass a project file of a few KB of YAML, or run `provision -g` to write a sample project.yml.'
const ADDITION_HINT = 'Pass a small YAML file with the name and org of the participant (and role for a user).'

/** A project or participant file: a regular file of at most MAX_FILE_BYTES (never /dev/zero or a FIFO). */
/** The bytes: parseYaml decodes them (and refuses what is not UTF-8). */
function readText(path: string, what: string, hint = PROJECT_HINT): Uint8Array {
  return readFileBounded(path, { what, maxBytes: MAX_FILE_BYTES, hint })
}

function validEntries(list: unknown): IndexedEntry[] {
  if (!Array.isArray(list)) return []
  const out: IndexedEntry[] = []
  list.forEach((item, index) => {
    const r = participantSchema.safeParse(item)
    if (r.success) out.push({ index, entry: r.data })
  })
  return out
}

/** The top-level keys whose own shape is valid, so that the rules can look at them safely. */
function validTopLevel(data: Record<string, unknown>): Partial<ProjectFile> {
  const out: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(projectFileSchema.shape) as [string, z.ZodType][]) {
    const r = schema.safeParse(data[key])
    if (r.success && data[key] !== undefined) out[key] = r.data
  }
  return out as Partial<ProjectFile>
}

function toFinding(issue: z.core.$ZodIssue, data: unknown): Finding {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  const missing = path.length > 0 && valueAt(data, path) === undefined
  return { path, message: missing ? `missing; ${issue.message}` : issue.message }
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let node = data
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[part]
  }
  return node
}

/** The problem line: key path and line:col, or the --add-client/--add-user file it came from. */
function describe(f: Finding, source: SourceMap, appended: Appended[], original: number): string {
  const [top, index, ...rest] = f.path
  const first = typeof index === 'number' ? index - original : -1
  if (top === 'participants' && first >= 0 && appended[first]) {
    return `${appended[first].file}: ${rest.join('.') || 'entry'}: ${f.message}`
  }
  return source.problem(f.path, f.message, f.pos)
}

function invalid(
  fileName: string,
  findings: Finding[],
  source: SourceMap,
  appended: Appended[],
  original = Number.POSITIVE_INFINITY,
): ProvisionError {
  const lines = findings.map((f) => describe(f, source, appended, original))
  const n = lines.length
  return new ProvisionError(
    'invalid-project',
    `${fileName} has ${n} problem${n === 1 ? '' : 's'}; nothing was written`,
    {
      problems: lines,
      exitCode: ExitCode.badInput,
      hint: 'Fix each line above (key path, then line:col in the file), then run provision again.',
    },
  )
}
