import { describe, expect, it } from 'vitest'
import { createDefaultsPrompter } from '../../src/cli/prompts.js'
import { runWizard, summaryLines } from '../../src/cli/wizard.js'
import { isProvisionError } from '../../src/errors.js'
import { parseHeArgs } from '../../src/he-builder/params.js'
import { loadProject } from '../../src/provision/project/load.js'
import { ENTER, scriptedPrompter } from './wizard-prompter.js'

/** The problems loadProject reports for a project.yml (the rules the wizard must share). */
function loaderProblems(yaml: string): string[] {
  try {
    loadProject(yaml)
  } catch (error) {
    if (isProvisionError(error)) return [...error.problems]
    throw error
  }
  return []
}

const minimal = (over: { name?: string; server?: string; client?: string; org?: string; admin?: string }) => `
api_version: 3
name: ${JSON.stringify(over.name ?? 'p')}
participants:
  - { name: ${JSON.stringify(over.server ?? 'localhost')}, type: server, org: o }
  - { name: ${JSON.stringify(over.client ?? 'site-1')}, type: client, org: ${JSON.stringify(over.org ?? 'o')} }
  - { name: ${JSON.stringify(over.admin ?? 'a@example.com')}, type: admin, org: o, role: project_admin }
`

describe('runWizard: Enter through every question', () => {
  it('gives a valid project with HE on at NVFlare defaults', async () => {
    const p = scriptedPrompter([])
    const { project, text, file } = await runWizard(p)
    expect(project.name).toBe('example_project')
    expect(project.server).toMatchObject({
      name: 'localhost',
      fedLearnPort: 8002,
      adminPort: 8002,
      connectionSecurity: 'mtls',
    })
    expect(project.clients.map((c) => [c.name, c.org])).toEqual([
      ['site-1', 'site_1'],
      ['site-2', 'site_2'],
    ])
    expect(project.admins.map((a) => [a.name, a.role])).toEqual([['admin@example.com', 'project_admin']])
    const he = project.builders.find((b) => b.id === 'he')
    expect(parseHeArgs(he?.args ?? {})).toEqual({
      scheme: 'CKKS',
      polyModulusDegree: 8192,
      coeffModBitSizes: [60, 40, 40],
      scaleBits: 40,
    })
    expect(project.builders.map((b) => b.id)).toEqual(['workspace', 'static', 'cert', 'he', 'signature'])
    expect(loadProject(text)).toEqual(project)
    expect(file.participants).toHaveLength(4)
    expect(p.inline.every((m) => m === undefined)).toBe(true)
  })

  it('answers the same with no terminal at all (the --yes path)', async () => {
    const scripted = await runWizard(scriptedPrompter([]))
    const auto = await runWizard(createDefaultsPrompter())
    expect(auto.text).toBe(scripted.text)
  })
})

describe('runWizard: a bad answer is shown and the question asked again', () => {
  it('re-asks names, ports, counts, patterns, orgs and e-mails with the loader’s own messages', async () => {
    const p = scriptedPrompter([
      [/Project name/, 'bad name'],
      [/Project name/, 'fed.1'],
      [/Server host name/, 'not_a_host'],
      [/Server host name/, 'fl.example.com'],
      [/Other host names/, '10.0.0.5, bad host!'],
      [/Other host names/, '10.0.0.5, fl2.example.com'],
      [/Port the clients/, '70000'],
      [/Port the clients/, '9000'],
      [/Number of clients/, '0'],
      [/Number of clients/, 'three'],
      [/Number of clients/, '3'],
      [/name pattern/, 'node'],
      [/name pattern/, 'node {n}'],
      [/name pattern/, 'node-{n}'],
      [/Orgs of the clients/, 'a, b'],
      [/Orgs of the clients/, 'a, b-b, c'],
      [/Orgs of the clients/, 'a, b, c'],
      [/project admin/, 'not-an-email'],
      [/project admin/, 'boss@example.org'],
    ])
    const { project } = await runWizard(p)
    expect(p.left()).toEqual([])
    expect(project.name).toBe('fed.1')
    expect(project.server).toMatchObject({
      name: 'fl.example.com',
      hostNames: ['10.0.0.5', 'fl2.example.com'],
      fedLearnPort: 9000,
      adminPort: 9000,
    })
    expect(project.clients.map((c) => `${c.name}/${c.org}`)).toEqual(['node-1/a', 'node-2/b', 'node-3/c'])
    expect(project.admins[0]?.name).toBe('boss@example.org')
    const count = (re: RegExp) => p.asked.filter((m) => re.test(m)).length
    expect([
      count(/Project name/),
      count(/Server host name/),
      count(/Number of clients/),
      count(/name pattern/),
    ]).toEqual([2, 2, 3, 3])
    // the message shown is the one project.yml loading gives for the same value
    const shown = p.notes.join('\n')
    for (const problems of [
      loaderProblems(minimal({ name: 'bad name' })),
      loaderProblems(minimal({ server: 'not_a_host' })),
      loaderProblems(minimal({ client: 'node {n}'.replace('{n}', '1') })),
      loaderProblems(minimal({ org: 'b-b' })),
      loaderProblems(minimal({ admin: 'not-an-email' })),
    ]) {
      expect(problems).toHaveLength(1)
      expect(shown).toContain(problems[0]!.replace(/^.*?\): /, ''))
    }
    // inline (under the question) says the same as the note
    expect(p.inline.filter((m) => m !== undefined)).toHaveLength(
      p.notes.filter((n) => n.startsWith('  ')).length,
    )
  })

  it('refuses a client name already used, whatever its case', async () => {
    const p = scriptedPrompter([
      [/How do you want to name/, 'one-by-one'],
      [/Name of client 1/, 'alpha'],
      [/Org of alpha/, 'lab'],
      [/Add another client/, true],
      [/Name of client 2/, 'ALPHA'],
      [/Name of client 2/, 'beta'],
      [/Add another client/, false],
    ])
    const { project } = await runWizard(p)
    expect(p.left()).toEqual([])
    expect(project.clients.map((c) => `${c.name}/${c.org}`)).toEqual(['alpha/lab', 'beta/beta'])
    expect(p.notes.join('\n')).toContain('"alpha" is already a participant')
  })

  it('adds more admins with a role, and refuses a second use of an e-mail', async () => {
    const p = scriptedPrompter([
      [/Add another admin/, true],
      [/E-mail of the admin/, 'ADMIN@example.com'],
      [/E-mail of the admin/, 'lead@site-1.example.com'],
      [/Role of/, 'lead'],
      [/Add another admin/, false],
    ])
    const { project } = await runWizard(p)
    expect(p.left()).toEqual([])
    expect(project.admins.map((a) => `${a.name}/${a.org}/${a.role}`)).toEqual([
      'admin@example.com/coordinator/project_admin',
      'lead@site-1.example.com/site_1/lead',
    ])
  })
})

describe('runWizard: HE', () => {
  it('off: no HE builder in the file', async () => {
    const p = scriptedPrompter([[/homomorphic/, false]])
    const { project, text } = await runWizard(p)
    expect(project.builders.map((b) => b.id)).toEqual(['workspace', 'static', 'cert', 'signature'])
    expect(text).not.toContain('HEBuilder')
    expect(p.asked.some((m) => /modulus/.test(m))).toBe(false)
  })

  it('on with other parameters: the 128-bit check and the scale check re-ask', async () => {
    const p = scriptedPrompter([
      [/Polynomial modulus degree/, '4096'],
      [/bit sizes/, '60, 40, 40'], // 140 bits > 109 at N=4096
      [/bit sizes/, '40, 20, 25, 20'], // middle primes differ (105 bits: secure)
      [/bit sizes/, '40, 30, 30'],
      [/Scale bits/, '20'], // middle primes are 30
      [/Scale bits/, ENTER],
    ])
    const { project } = await runWizard(p)
    expect(p.left()).toEqual([])
    const he = parseHeArgs(project.builders.find((b) => b.id === 'he')?.args ?? {})
    expect(he).toEqual({
      scheme: 'CKKS',
      polyModulusDegree: 4096,
      coeffModBitSizes: [40, 30, 30],
      scaleBits: 30,
    })
    const shown = p.notes.join('\n')
    expect(shown).toContain('more than the 109 bits that give 128-bit security at poly_modulus_degree 4096')
    expect(shown).toContain('cannot be carried by the middle primes [20, 25]')
    expect(shown).toContain('scale_bits 20 cannot be carried')
  })
})

describe('runWizard: the NVFlare target', () => {
  it('asks for it (default 2.8), shows it in the summary, and keeps it out of project.yml', async () => {
    const p = scriptedPrompter([[/NVFlare version the sites run/, '2.7']])
    const { settings, text } = await runWizard(p)
    expect(p.left()).toEqual([])
    expect(settings.nvflareVersion).toBe('2.7')
    expect(summaryLines(settings, 'project.yml')).toContain('  NVFlare  2.7 (the kits are written for it)')
    expect(text).not.toMatch(/nvflare_version|2\.7/)
    expect((await runWizard(createDefaultsPrompter())).settings.nvflareVersion).toBe('2.8')
  })

  it('--nvflare-version skips the question (a patch release names its line)', async () => {
    const p = scriptedPrompter([])
    const { settings } = await runWizard(p, { nvflareVersion: '2.8.1' })
    expect(settings.nvflareVersion).toBe('2.8')
    expect(p.asked.some((m) => /NVFlare version/.test(m))).toBe(false)
  })
})

describe('runWizard: presets (flags)', () => {
  it('a valid flag skips its question; a bad one is shown and asked', async () => {
    const p = scriptedPrompter([[/Project name/, 'ok_name']])
    const { project } = await runWizard(p, {
      name: 'bad name',
      server: 'fl.example.com',
      clients: '4',
      he: false,
    })
    expect(project.name).toBe('ok_name')
    expect(project.server.name).toBe('fl.example.com')
    expect(project.clients).toHaveLength(4)
    expect(
      p.asked.some((m) => /Server host name|Number of clients|homomorphic|How do you want/.test(m)),
    ).toBe(false)
    expect(p.notes[0]).toMatch(/^--name "bad name": expected a project name/)
  })

  it('with no terminal a bad flag is an error (exit 2), never a question', async () => {
    const run = runWizard(createDefaultsPrompter(), { clients: '3', orgs: 'a,b' })
    await expect(run).rejects.toMatchObject({ code: 'bad-option', exitCode: 2 })
    await expect(run).rejects.toThrow(/--orgs "a,b": expected one org for every client, or 3 orgs/)
  })

  it('--client-names sets the names, checked like typed ones', async () => {
    const { project } = await runWizard(createDefaultsPrompter(), { clientNames: 'x1, x2', orgs: 'hq' })
    expect(project.clients.map((c) => `${c.name}/${c.org}`)).toEqual(['x1/hq', 'x2/hq'])
    await expect(runWizard(createDefaultsPrompter(), { clientNames: 'x1, X1' })).rejects.toThrow(
      /already a participant/,
    )
  })
})
