import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode, ProvisionError } from '../../../src/errors.js'
import { GENERATED_TOP_LEVEL, Layout } from '../../../src/provision/layout.js'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'
import { smallProjectYaml } from '../../helpers/projects.js'
import { useTempDir } from '../../helpers/temp.js'

const dockerProject = (args = '') =>
  `${smallProjectYaml('docked', { builders: ['workspace', 'static'] })}  - path: docker\n${args}`

describe('docker builder', () => {
  const tempDir = useTempDir('fedforge-docker-')

  it('writes the layout names at the top of prod_NN and copies the requirements file beside project.yml', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'requirements.txt'), 'nvflare==2.8.1\nnumpy\n')
    const project = loadProject(dockerProject(), 'project.yml', [], { baseDir: dir })
    const result = await provision({ project, workspace: join(dir, 'ws') })
    const top = readdirSync(result.prodDir).filter((n) => !project.participants.some((p) => p.name === n))
    expect(top.sort()).toEqual([Layout.composeEnv, Layout.composeFile, Layout.composeDir].sort())
    expect(top.every((n) => (GENERATED_TOP_LEVEL as readonly string[]).includes(n))).toBe(true)
    const compose = join(result.prodDir, Layout.composeDir)
    expect(readFileSync(join(compose, 'requirements.txt'), 'utf8')).toBe('nvflare==2.8.1\nnumpy\n')
    expect(readFileSync(join(result.prodDir, Layout.composeFile), 'utf8')).toContain(
      `build: ${Layout.composeDir}`,
    )
  })

  it('reads requirements_file where the loader resolved it (relative to project.yml), and fills it when absent', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'pip'))
    writeFileSync(join(dir, 'pip', 'site.txt'), 'tenseal\n')
    const given = loadProject(
      dockerProject('    args:\n      requirements_file: pip/site.txt\n'),
      'project.yml',
      [],
      {
        baseDir: dir,
      },
    )
    expect(given.builders.at(-1)?.args['requirements_file']).toBe(join(dir, 'pip', 'site.txt'))
    const run = await provision({ project: given, workspace: join(dir, 'ws') })
    expect(readFileSync(join(run.prodDir, Layout.composeDir, 'requirements.txt'), 'utf8')).toBe('tenseal\n')
    const bare = loadProject(dockerProject(), 'project.yml', [], { baseDir: tempDir() })
    const filled = await provision({ project: bare, workspace: join(dir, 'ws2') })
    expect(readFileSync(join(filled.prodDir, Layout.composeDir, 'requirements.txt'), 'utf8')).toBe(
      'nvflare\n',
    )
  })

  it('a requirements file gone after loading is exit 2 before anything is written, not a crash', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'requirements.txt'), 'nvflare\n')
    const project = loadProject(dockerProject(), 'project.yml', [], { baseDir: dir })
    rmSync(join(dir, 'requirements.txt'))
    const failure = await provision({ project, workspace: join(dir, 'ws') }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ProvisionError)
    expect((failure as ProvisionError).exitCode).toBe(ExitCode.badInput)
    expect((failure as ProvisionError).message).toMatch(
      /^builders\[2\]\.args \(project\.yml:17:5\) \(docker\): cannot read the docker builder requirements_file \/.+: no such file$/,
    )
    expect(existsSync(join(dir, 'ws'))).toBe(false)
  })
})
