import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'
import type { ProvisionOptions, RunContext } from '../../src/provision/context.js'
import type { ProvisionEvent } from '../../src/provision/events.js'
import type { Project } from '../../src/provision/project/types.js'
import { admin, client, makeContext, makeProject, server } from '../helpers/project-fixtures.js'

/** The real TenSEAL files (test/fixtures/reference/tenseal, copied from ../shared/reference/tenseal). */
export const referenceDir = fileURLToPath(new URL('../fixtures/reference/tenseal/', import.meta.url))

export function readReference(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(referenceDir, name)))
}

export function expectedVectors(): { small: number[]; multi: number[] } {
  const json = JSON.parse(readFileSync(join(referenceDir, 'expected_vectors.json'), 'utf8')) as {
    small: number[]
    multi_len: number
  }
  // multi_formula: round(sin(i*0.001)*10 + (i%7)*0.125, 6), i in [0,10000)
  const multi = Array.from({ length: json.multi_len }, (_, i) =>
    round6(Math.sin(i * 0.001) * 10 + (i % 7) * 0.125),
  )
  return { small: json.small, multi }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

export function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`)
  let max = 0
  for (let i = 0; i < actual.length; i++)
    max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)))
  return max
}

/** Temp dirs made by a test file, removed in afterEach. */
export class TempDirs {
  private readonly dirs: string[] = []

  make(): string {
    const dir = mkdtempSync(join(tmpdir(), 'fedforge-he-'))
    this.dirs.push(dir)
    return dir
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  }
}

export function heProject(clientNames: string[]): Project {
  return makeProject(
    [
      server({ adminPort: 8003, hostNames: [] }),
      ...clientNames.map((name) => client(name)),
      admin('admin@nvidia.com', 'project_admin'),
    ],
    'he_project',
  )
}

/** Top-level field numbers of a protobuf message, read with the raw wire reader. */
export function topLevelFields(bytes: Uint8Array): number[] {
  const reader = protobuf.Reader.create(bytes)
  const fields: number[] = []
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    fields.push(tag >>> 3)
    reader.skipType(tag & 7)
  }
  return fields
}

export interface TestRun {
  ctx: RunContext
  events: ProvisionEvent[]
}

/** A context over `<root>/he_project` with wip/ and state/, as the provisioner would make it. */
export function heContext(root: string, project: Project, options: Partial<ProvisionOptions> = {}): TestRun {
  return makeContext(project, root, new Date('2025-01-01T00:00:00Z'), options)
}
