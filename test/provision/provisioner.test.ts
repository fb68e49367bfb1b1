import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import type { Builder } from '../../src/provision/builder.js'
import { loadProject } from '../../src/provision/project/load.js'
import { provision, runLifecycle } from '../../src/provision/provisioner.js'
import { makeContext } from '../helpers/project-fixtures.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { useTempDir } from '../helpers/temp.js'

describe('the provisioner', () => {
  const tempDir = useTempDir()

  it('removes temp files that a killed run left in state/, and keeps the state', async () => {
    const workspace = tempDir()
    const project = loadProject(smallProjectYaml('tidy', { builders: ['workspace', 'static', 'cert'] }))
    await provision({ project, workspace })
    const state = join(workspace, 'tidy', 'state')
    writeFileSync(join(state, '.0123456789ab.tmp'), 'half a state file')
    writeFileSync(join(state, 'notes.txt'), 'not ours to remove')
    await provision({ project, workspace })
    expect(readdirSync(state).sort()).toEqual(['cert.json', 'notes.txt', 'target.json'])
  })

  it('a failing builder leaves no prod_NN, no wip/ and no new state, and its error is the one thrown', async () => {
    const workspace = tempDir()
    const state = join(workspace, 'failing', 'state')
    mkdirSync(state, { recursive: true })
    writeFileSync(join(state, 'cert.json'), 'not json')
    const project = loadProject(smallProjectYaml('failing', { builders: ['workspace', 'static', 'cert'] }))
    const failure = provision({ project, workspace })
    await expect(failure).rejects.toThrow(ProvisionError)
    await expect(failure).rejects.toThrow(/cert\.json is not a valid certificate state file/)
    expect(readdirSync(join(workspace, 'failing'))).toEqual(['state'])
    expect(readdirSync(state)).toEqual(['cert.json'])
  })

  it('runs initialize and build in order and finalize in reverse, even after a failure', async () => {
    const dir = tempDir()
    const calls: string[] = []
    const builder = (name: string, fail = false): Builder => ({
      name,
      initialize: () => void calls.push(`init ${name}`),
      build: () => {
        calls.push(`build ${name}`)
        if (fail) throw new Error(`${name} failed`)
      },
      finalize: () => void calls.push(`finalize ${name}`),
    })
    const project = loadProject(smallProjectYaml('order'))
    const { ctx } = makeContext(project, dir, new Date())
    await expect(runLifecycle([builder('a'), builder('b', true), builder('c')], ctx)).rejects.toThrow(
      'b failed',
    )
    expect(calls).toEqual([
      'init a',
      'init b',
      'init c',
      'build a',
      'build b',
      'finalize c',
      'finalize b',
      'finalize a',
    ])
  })
})
