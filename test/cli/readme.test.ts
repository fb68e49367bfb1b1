import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectFile } from '../../src/provision/project/load.js'
import { readTemplate } from '../../src/provision/templates.js'
import { BIN, REPO } from '../helpers/paths.js'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'

/** The README's first code block: exactly two commands, run the main job and run the tests. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  return block.split('\n').filter((line) => line.trim() !== '')
}

describe("the README's commands", () => {
  const tempDir = useTempDir()

  it('are exactly two: install + main job, and the tests', () => {
    const commands = readmeCommands()
    expect(commands).toHaveLength(2)
    expect(commands[0]).toMatch(/^npm ci && node bin\/provision\.js -p project\.yml\.example$/)
    expect(commands[1]).toBe('npm test')
  })

  it('the main command writes prod_00 with a folder per participant, and prod_01 when run again', () => {
    const dir = tempDir()
    copyFileSync(join(REPO, 'project.yml.example'), join(dir, 'project.yml.example'))
    const args = readmeCommands()[0]!
      .replace(/^npm ci && node bin\/provision\.js /, '')
      .split(' ')
    expect(BIN.endsWith(join('bin', 'provision.js'))).toBe(true)
    const first = runBin(args, dir)
    expect(first.stderr).not.toMatch(/internal error/)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('prod_00')
    const project = loadProjectFile(join(dir, 'project.yml.example'))
    const prod0 = join(dir, 'workspace', project.name, 'prod_00')
    expect(readdirSync(prod0).sort()).toEqual(project.participants.map((p) => p.name).sort())
    expect(runBin(args, dir).code).toBe(0)
    expect(existsSync(join(dir, 'workspace', project.name, 'prod_01', project.server.name))).toBe(true)
  })

  it('project.yml.example is the sample that `provision -g` writes', () => {
    expect(readFileSync(join(REPO, 'project.yml.example'), 'utf8')).toBe(readTemplate('project.yml'))
  })

  it('`provision -g` never writes over an existing file without --force', () => {
    const dir = tempDir()
    expect(runBin(['-g'], dir).code).toBe(0)
    const again = runBin(['-g'], dir)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists')
    expect(runBin(['-g', '--force'], dir).code).toBe(0)
  })
})
