import { describe, expect, it } from 'vitest'
import { type BuilderFactory, defineBuilder, type TypedBuilder } from '../../src/provision/builder.js'
import type { PkiMaterial } from '../../src/provision/context.js'
import { client, makeContext, makeProject, server } from '../helpers/project-fixtures.js'
import { useTempDir } from '../helpers/temp.js'

/**
 * The builder contract's guarantees. At compile time (`npm run typecheck` checks this file; each
 * `@ts-expect-error` fails the check if its line compiles): build() sees a material only when its factory
 * requires it, and provides only what its factory declares. At run time, the checks the bound builder makes.
 */

const PKI: PkiMaterial = {
  root: { certPem: 'root cert', keyPem: 'root key' },
  participants: new Map(),
  listeners: new Map(),
}

const base = { nvflarePaths: [], phase: 50, description: 'a test builder' } as const

// A builder that requires the PKI reads it without a check: it is not optional there.
const reader = (seen: string[]): BuilderFactory =>
  defineBuilder({
    ...base,
    id: 'reader',
    requires: ['pki'],
    provides: [],
    create: () => ({
      name: 'reader',
      build: (ctx) => {
        const pki: PkiMaterial = ctx.pki
        seen.push(pki.root.certPem)
      },
    }),
  })

const compileTimeRefusals: BuilderFactory[] = [
  defineBuilder({
    ...base,
    id: 'reads-undeclared',
    requires: ['kit-folders'],
    provides: [],
    create: () => ({
      name: 'reads-undeclared',
      build: (ctx) => {
        // @ts-expect-error: pki is not required, so it may be undefined here
        const pki: PkiMaterial = ctx.pki
        return void pki
      },
    }),
  }),
  defineBuilder({
    ...base,
    id: 'provides-undeclared',
    requires: [],
    provides: ['pki'],
    create: () => ({
      name: 'provides-undeclared',
      build: (ctx) => {
        ctx.provide('pki', PKI)
        // @ts-expect-error: he is not among what this builder provides
        ctx.provide('he', {
          scheme: 'CKKS',
          polyModulusDegree: 8192,
          coeffModBitSizes: [],
          scaleBits: 40,
          reusedKey: false,
        })
      },
    }),
  }),
  defineBuilder({
    ...base,
    id: 'declares-less-than-it-needs',
    requires: [],
    provides: [],
    // @ts-expect-error: the builder needs pki, which `requires` does not declare (it is not inferred from here)
    create: (): TypedBuilder<'pki', never> => ({ name: 'x', build: (ctx) => void ctx.pki.root }),
  }),
  defineBuilder({
    ...base,
    id: 'initialize-sees-no-material',
    requires: ['pki'],
    provides: [],
    create: () => ({
      name: 'initialize-sees-no-material',
      // @ts-expect-error: initialize runs before any builder has built, so no material is guaranteed there
      initialize: (ctx) => void ctx.pki.root,
      build: (ctx) => void ctx.pki.root,
    }),
  }),
]

describe('the builder contract at run time', () => {
  const tempDir = useTempDir('fedforge-contract-')
  const newContext = () => makeContext(makeProject([server(), client('site-1')]), tempDir(), new Date()).ctx

  it('a builder gets the material another provided', async () => {
    const ctx = newContext()
    const seen: string[] = []
    const provider = defineBuilder({
      ...base,
      id: 'provider',
      requires: [],
      provides: ['pki'],
      create: () => ({ name: 'provider', build: (c) => c.provide('pki', PKI) }),
    })
    await (await provider.create({})).build(ctx)
    await (await reader(seen).create({})).build(ctx)
    expect(seen).toEqual(['root cert'])
    expect(ctx.pki).toBe(PKI)
    expect(() => ctx.provide('pki', PKI)).toThrow(/pki was provided twice/)
  })

  it('a bound builder refuses to build without what it requires (a bug: the loader refuses such lists)', async () => {
    const seen: string[] = []
    await expect((await reader(seen).create({})).build(newContext())).rejects.toThrow(
      'builder "reader" runs without pki (the loader let it through)',
    )
    expect(seen).toEqual([])
  })

  it('a bound builder that declares a material and does not provide it fails its build', async () => {
    const liar = defineBuilder({
      ...base,
      id: 'liar',
      requires: [],
      provides: ['pki'],
      create: () => ({ name: 'liar', build: () => {} }),
    })
    await expect((await liar.create({})).build(newContext())).rejects.toThrow(
      'builder "liar" declares pki but did not provide it',
    )
  })

  it('the refusals above are real builders too: what compiles of them runs', async () => {
    expect(compileTimeRefusals.map((f) => [f.id, f.requires, f.provides])).toEqual([
      ['reads-undeclared', ['kit-folders'], []],
      ['provides-undeclared', [], ['pki']],
      ['declares-less-than-it-needs', [], []],
      ['initialize-sees-no-material', ['pki'], []],
    ])
  })
})
