import { isMap, isSeq, LineCounter, parseDocument } from 'yaml'
import { decodeProjectText } from './decode-text.js'
import type { Finding } from './findings.js'
import { SourceMap } from './source.js'
import { mergeProblems, tagProblems } from './yaml-safety.js'

/** The largest project file we read: NVFlare files are a few KB; 10 MiB holds ~100,000 participants. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** Aliases allowed when expanding the YAML (an "alias bomb" expands exponentially). */
const MAX_ALIAS_COUNT = 1000

export interface ParsedYaml {
  data: unknown
  source: SourceMap
  problems: Finding[]
}

/**
 * Parses YAML (bytes are decoded as UTF-8) with positions, as PyYAML's safe_load reads it: merge keys
 * (`<<: *anchor`) are merged, tags other than the standard ones are refused. Never throws for bad input:
 * problems carry a key path.
 */
export function parseYaml(input: string | Uint8Array, fileName: string): ParsedYaml {
  const lines = new LineCounter()
  const problems: Finding[] = []
  const decoded = decodeProjectText(input)
  if ('problem' in decoded) {
    const source = new SourceMap(fileName, undefined, lines)
    return { data: undefined, source, problems: [decoded.problem] }
  }
  const text = decoded.text
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    merge: true,
  })
  const source = new SourceMap(fileName, doc, lines)
  for (const error of [...doc.errors]) {
    const pos = lines.linePos(error.pos[0])
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')
    problems.push({ path: source.pathAt(error.pos[0]), pos, message: `YAML error: ${message}` })
  }
  if (problems.length > 0) return { data: undefined, source, problems }
  if (doc.contents === null) {
    problems.push({
      path: [],
      pos: { line: 1, col: 1 },
      message: 'the file is empty; expected a mapping with api_version, name and participants',
    })
    return { data: undefined, source, problems }
  }
  if (!isMap(doc.contents)) {
    const got = isSeq(doc.contents) ? 'a list' : 'a single value'
    problems.push({
      path: [],
      message: `expected a mapping with api_version, name and participants at the top level, got ${got}`,
    })
    return { data: undefined, source, problems }
  }
  problems.push(...tagProblems(doc, text, source, lines), ...mergeProblems(doc, source, lines))
  if (problems.length > 0) return { data: undefined, source, problems }
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), source, problems }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    problems.push({ path: [], message: `the YAML cannot be expanded safely (${why}); is it an alias bomb?` })
    return { data: undefined, source, problems }
  }
}
