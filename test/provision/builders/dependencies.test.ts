import { describe, expect, it } from 'vitest'
import { ExitCode, ProvisionError } from '../../../src/errors.js'
import { createBuilders, locatedError } from '../../../src/provision/builders/create.js'
import {
  describeMissing,
  type ListedBuilder,
  misorderedBuilders,
  missingCapabilities,
} from '../../../src/provision/builders/dependencies.js'
import {
  BUILTIN_BUILDERS,
  DEFAULT_BUILDER_IDS,
  findBuilder,
} from '../../../src/provision/builders/registry.js'
import { CAPABILITIES, type Capability, RUN_REQUIRES } from '../../../src/provision/capabilities.js'
import type { BuilderSpec } from '../../../src/provision/project/types.js'
import { client, makeProject, server } from '../../helpers/project-fixtures.js'

const listed = (...ids: string[]): ListedBuilder[] =>
  ids.map((id, index) => {
    const factory = findBuilder(id)
    if (!factory) throw new Error(`no builder ${id}`)
    return { factory, index }
  })

const spec = (id: string): BuilderSpec => ({ id, path: id, args: {} })
const OPTIONS = { genScripts: false, zip: false, rotateHeKey: false }

describe('the registry declares what each builder requires and provides', () => {
  it('every requirement has a provider, and every provider runs before the builders that need it', () => {
    for (const f of BUILTIN_BUILDERS) {
      for (const need of f.requires) {
        const providers = BUILTIN_BUILDERS.filter((p) => p.provides.includes(need))
        expect(providers.length, `${f.id} requires ${need}`).toBeGreaterThan(0)
        for (const p of providers)
          expect(p.phase, `${p.id} provides ${need} to ${f.id}`).toBeLessThan(f.phase)
      }
    }
    for (const need of RUN_REQUIRES)
      expect(BUILTIN_BUILDERS.some((p) => p.provides.includes(need))).toBe(true)
  })

  it('declares the dependencies the builders have', () => {
    const table = Object.fromEntries(BUILTIN_BUILDERS.map((f) => [f.id, [f.requires, f.provides]]))
    expect(table).toEqual({
      workspace: [[], ['kit-folders']],
      static: [['kit-folders'], ['kit-configs']],
      docker: [['kit-folders', 'kit-configs'], ['compose']],
      cert: [['kit-folders'], ['pki']],
      he: [['kit-folders'], ['he']],
      signature: [['kit-folders', 'pki'], ['signatures']],
      zip: [['kit-folders'], ['zips']],
    })
    // every capability is provided by exactly one builder, so a message can name it
    for (const c of Object.keys(CAPABILITIES) as Capability[]) {
      expect(BUILTIN_BUILDERS.filter((f) => f.provides.includes(c)).map((f) => f.id)).toHaveLength(1)
    }
  })

  it('the default builders and the HE list the wizard writes are complete', () => {
    expect(missingCapabilities(listed(...DEFAULT_BUILDER_IDS))).toEqual([])
    expect(
      missingCapabilities(listed('workspace', 'static', 'cert', 'he', 'signature', 'docker', 'zip')),
    ).toEqual([])
  })
})

describe('missing and misordered builders', () => {
  it('names what is missing, who needs it and what to add', () => {
    const missing = missingCapabilities(listed('workspace', 'static', 'signature'))
    expect(
      missing.map((m) => [m.capability, m.neededBy.map((b) => b.index), m.providers.map((p) => p.id)]),
    ).toEqual([['pki', [2], ['cert']]])
    expect(missing.map(describeMissing)).toEqual([
      'signature (builders[2]) needs the certificates and keys, which no builder in the list makes: add the cert builder (path: nvflare.lighter.impl.cert.CertBuilder)',
    ])
    expect(missingCapabilities(listed()).map(describeMissing)).toEqual([
      'every run needs the kit folders, which no builder in the list makes: add the workspace builder (path: nvflare.lighter.impl.workspace.WorkspaceBuilder)',
    ])
  })

  it('finds builders listed before their providers; the order the registry keeps is not one', () => {
    expect(misorderedBuilders(listed('workspace', 'static', 'cert', 'he', 'signature'))).toEqual([])
    const found = misorderedBuilders(listed('signature', 'workspace', 'cert'))
    expect(found.map((m) => [m.builder.factory.id, m.providers.map((p) => p.factory.id)])).toEqual([
      ['signature', ['workspace', 'cert']],
    ])
    // zip is ours alone (NVFlare has no such builder), so where it is listed does not matter to NVFlare
    expect(misorderedBuilders(listed('zip', 'workspace'))).toEqual([])
  })
})

describe('createBuilders, for a Project made in code', () => {
  it('refuses an incomplete list before making any builder: exit 2 with one problem per missing capability', async () => {
    const project = makeProject([server(), client('site-1')])
    project.builders = [spec('static'), spec('signature')]
    const error = await createBuilders(project, OPTIONS).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProvisionError)
    const pe = error as ProvisionError
    expect(pe.exitCode).toBe(ExitCode.badInput)
    expect(pe.problems).toEqual([
      expect.stringMatching(/^static \(builders\[0\]\) and signature \(builders\[1\]\) need the kit folders/),
      expect.stringMatching(/^signature \(builders\[1\]\) needs the certificates and keys/),
    ])
  })

  it('refuses an unknown builder id and a builder listed twice with exit 2, not a crash', async () => {
    const project = makeProject([server()])
    project.builders = [spec('workspace'), spec('magic')]
    await expect(createBuilders(project, OPTIONS)).rejects.toThrow(
      /builders\[1\]: no builder is registered as "magic"/,
    )
    project.builders = [spec('workspace'), spec('cert'), spec('cert')]
    const twice = await createBuilders(project, OPTIONS).catch((e: unknown) => e)
    expect(twice).toBeInstanceOf(ProvisionError)
    expect((twice as ProvisionError).message).toBe(
      'builders[2]: builder "cert" is already listed at builders[1]',
    )
  })

  it('orders by phase and adds the zip builder for --zip once, even when the list has it', async () => {
    const project = makeProject([server()])
    project.builders = [spec('signature'), spec('cert'), spec('workspace')]
    expect((await createBuilders(project, { ...OPTIONS, zip: true })).map((b) => b.name)).toEqual([
      'workspace',
      'cert',
      'signature',
      'zip',
    ])
    project.builders.push(spec('zip'))
    expect((await createBuilders(project, { ...OPTIONS, zip: true })).map((b) => b.name)).toHaveLength(4)
  })

  it('a builder error, located at its entry, keeps its code, hint, exit code, problems and cause', async () => {
    const inner = new ProvisionError('he-params', 'two things are wrong', {
      hint: 'fix them',
      exitCode: ExitCode.conflict,
      problems: ['first', 'second'],
    })
    const outer = locatedError(inner, 'builders[3].args (project.yml:20:5) (he)')
    expect(outer.message).toBe('builders[3].args (project.yml:20:5) (he): two things are wrong')
    expect([outer.code, outer.hint, outer.exitCode, outer.problems, outer.cause]).toEqual([
      'he-params',
      'fix them',
      ExitCode.conflict,
      ['first', 'second'],
      inner,
    ])
    const project = makeProject([server()])
    project.builders = [
      spec('workspace'),
      { ...spec('cert'), args: { nope: 1 }, where: 'builders[1].args (p.yml:9:5)' },
    ]
    await expect(createBuilders(project, OPTIONS)).rejects.toThrow(
      /^builders\[1\]\.args \(p\.yml:9:5\) \(cert\): builder "cert": unknown argument\(s\) nope$/,
    )
  })
})
