import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { loadProject } from '../../../src/provision/project/load.js'
import type { ProjectFile } from '../../../src/provision/project/schema.js'
import { writeProjectYaml } from '../../../src/provision/project/write.js'
import { readTemplate } from '../../../src/provision/templates.js'

/** A file using most of the format: relays, a client hierarchy, capacity, studies, unknown keys. */
const rich: ProjectFile = {
  api_version: 4,
  name: 'rich.project-1',
  description: 'quotes " and \' # not a comment: colon\nsecond line',
  participants: [
    {
      name: 'fl.example.com',
      type: 'server',
      org: 'hq',
      fed_learn_port: 8102,
      admin_port: 8103,
      host_names: ['10.0.0.5', 'fl2.example.com'],
      connection_security: 'tls',
    },
    {
      name: 'relay-1',
      type: 'relay',
      org: 'hq',
      listening_host: { default_host: 'relay1.example.com', port: 8200 },
    },
    {
      name: 'site-a',
      type: 'client',
      org: 'org_a',
      connect_to: { name: 'relay-1' },
      capacity: { num_of_gpus: 2, mem_per_gpu_in_GiB: 16 },
    },
    {
      name: 'site-b',
      type: 'client',
      org: 'org_b',
      parent: 'site-a',
      listening_host: 'site-b.example.com',
      custom_key: { x: [1, 2] },
    },
    { name: 'boss@example.com', type: 'admin', org: 'hq', role: 'project_admin' },
    { name: 'lead@a.example.com', type: 'admin', org: 'org_a', role: 'lead' },
  ],
  builders: [
    { path: 'workspace' },
    { path: 'nvflare.lighter.impl.static_file.StaticFileBuilder', args: { config_folder: 'config' } },
    { path: 'cert' },
    {
      path: 'nvflare.lighter.impl.he.HEBuilder',
      args: { poly_modulus_degree: 16384, coeff_mod_bit_sizes: [60, 40, 40, 60], scale_bits: 40 },
    },
    { path: 'signature' },
  ],
  studies: {
    cancer: { site_orgs: { org_a: ['site-a'], org_b: ['site-b'] }, admins: ['lead@a.example.com'] },
  },
}

/** The project without `where` (the line:col of builder entries), which comments move. */
function withoutPositions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'where' ? undefined : v)))
}

const load = (text: string) => withoutPositions(loadProject(text))

describe('writeProjectYaml', () => {
  it('loads back to the same project as the plain YAML of the same file', () => {
    const text = writeProjectYaml(rich)
    expect(load(text)).toEqual(load(stringify(rich)))
    expect(parse(text)).toEqual(rich)
  })

  it('explains each section in comments', () => {
    const text = writeProjectYaml(rich)
    const comments = text
      .split('\n')
      .filter((l) => l.trimStart().startsWith('#'))
      .join('\n')
    for (const topic of [
      'api_version',
      'Project name',
      'startup kit',
      'The server',
      'Clients',
      'Admins',
      'Relays',
      'Homomorphic encryption',
      'Signs every kit',
      'Studies',
    ]) {
      expect(comments).toContain(topic)
    }
    expect(text).toMatch(/fed_learn_port: 8102 # the port clients connect to/)
    expect(text).toMatch(/coeff_mod_bit_sizes: \[60, 40, 40, 60\]/)
  })

  it('round-trips the shipped sample project', () => {
    const sample = readTemplate('project.yml')
    const file = parse(sample) as ProjectFile
    expect(load(writeProjectYaml(file))).toEqual(load(sample))
  })

  it('keeps a description of U+FFFD (the property below found it with seed -217375776)', () => {
    const file: ProjectFile = { ...rich, description: '\uFFFD', builders: undefined, studies: undefined }
    expect(loadProject(writeProjectYaml(file)).description).toBe('\uFFFD')
    expect(loadProject(Buffer.from(writeProjectYaml(file), 'utf8')).description).toBe('\uFFFD')
  })

  it('keeps any description and names intact (property)', () => {
    const base = rich.participants.filter(
      (p) => p.type !== 'relay' && p.parent === undefined && p.connect_to === undefined,
    )
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/),
        (description, org) => {
          const file: ProjectFile = {
            api_version: 3,
            name: 'p',
            description,
            participants: base.map((p) => ({ ...p, org })),
          }
          const text = writeProjectYaml(file)
          expect(parse(text)).toEqual(file)
          const project = loadProject(text)
          expect(project.description).toBe(description)
          expect(project.participants.every((p) => p.org === org)).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  })
})
