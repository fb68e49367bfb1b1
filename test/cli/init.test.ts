import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runInit } from '../../src/cli/commands/init.js'
import { createDefaultsPrompter } from '../../src/cli/prompts.js'
import { ExitCode } from '../../src/errors.js'
import { loadProjectFile } from '../../src/provision/project/load.js'
import { CANCEL, scriptedPrompter } from './wizard-prompter.js'

const noProvision = vi.fn(async () => ExitCode.ok)
let dir: string
let cwd: string

beforeEach(() => {
  noProvision.mockClear()
  cwd = process.cwd()
  dir = mkdtempSync(join(tmpdir(), 'fedforge-init-'))
  process.chdir(dir) // the wizard's default file names are relative to the working folder
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
})

afterEach(() => {
  vi.restoreAllMocks()
  process.chdir(cwd)
  rmSync(dir, { recursive: true, force: true })
})

describe('runInit', () => {
  it('Enter through: writes a commented project.yml that loads, then provisions it', async () => {
    const calls: [string, string][] = []
    const p = scriptedPrompter([])
    const code = await runInit(
      {},
      {
        prompter: p,
        provisionFile: async (f, w) => {
          calls.push([f, w])
          return 0
        },
      },
    )
    expect(code).toBe(0)
    expect(readdirSync(dir)).toEqual(['project.yml'])
    const text = readFileSync('project.yml', 'utf8')
    expect(text).toMatch(/^# NVIDIA FLARE project file/)
    expect(loadProjectFile('project.yml').clients).toHaveLength(2)
    expect(calls).toEqual([['project.yml', 'workspace']])
    expect(p.notes.some((n) => n.startsWith('Project example_project'))).toBe(true)
  })

  it('never overwrites without asking: "no" keeps the file and asks for another name', async () => {
    writeFileSync('project.yml', 'keep me\n')
    const p = scriptedPrompter([
      [/Write the project file to/, 'project.yml'],
      // "already exists. Overwrite it?" is answered with Enter: no
      [/Provision the startup kits now/, false],
    ])
    expect(await runInit({}, { prompter: p, provisionFile: noProvision })).toBe(0)
    expect(p.left()).toEqual([])
    expect(p.asked).toContain('project.yml already exists. Overwrite it?')
    expect(readFileSync('project.yml', 'utf8')).toBe('keep me\n')
    expect(loadProjectFile('project-2.yml').name).toBe('example_project')
    expect(noProvision).not.toHaveBeenCalled()
  })

  it('overwrites when the user says yes', async () => {
    writeFileSync('project.yml', 'old\n')
    const p = scriptedPrompter([
      [/Write the project file to/, 'project.yml'],
      [/Overwrite it/, true],
      [/Provision the startup kits now/, false],
    ])
    expect(await runInit({}, { prompter: p })).toBe(0)
    expect(loadProjectFile('project.yml').name).toBe('example_project')
  })

  it('--yes: refuses an existing file (exit 2) unless --force', async () => {
    writeFileSync('project.yml', 'keep me\n')
    const run = runInit({ yes: true }, { prompter: createDefaultsPrompter() })
    await expect(run).rejects.toMatchObject({ code: 'file-exists', exitCode: 2 })
    expect(readFileSync('project.yml', 'utf8')).toBe('keep me\n')
    expect(readdirSync(dir)).toEqual(['project.yml'])
    expect(
      await runInit({ yes: true, force: true, name: 'forced' }, { prompter: createDefaultsPrompter() }),
    ).toBe(0)
    expect(loadProjectFile('project.yml').name).toBe('forced')
  })

  it('--yes writes the file from flags and does not provision unless --provision', async () => {
    const provisionFile = vi.fn(async () => ExitCode.ok)
    const flags = {
      yes: true,
      output: 'fed.yml',
      name: 'fed',
      server: 'fl.example.com',
      clients: '3',
      admin: 'me@example.org',
      he: false,
    }
    expect(await runInit(flags, { prompter: createDefaultsPrompter(), provisionFile })).toBe(0)
    const project = loadProjectFile('fed.yml')
    expect([project.name, project.server.name, project.clients.length, project.admins[0]?.name]).toEqual([
      'fed',
      'fl.example.com',
      3,
      'me@example.org',
    ])
    expect(project.builders.some((b) => b.id === 'he')).toBe(false)
    expect(provisionFile).not.toHaveBeenCalled()
    expect(
      await runInit(
        { ...flags, output: 'fed2.yml', provision: true },
        { prompter: createDefaultsPrompter(), provisionFile },
      ),
    ).toBe(0)
    expect(provisionFile).toHaveBeenCalledWith('fed2.yml', 'workspace', '2.8')
  })

  it('--nvflare-version: provisions for that target, and the Next line names it', async () => {
    const provisionFile = vi.fn(async () => ExitCode.ok)
    const flags = { yes: true, name: 'fed', he: false, nvflareVersion: '2.7.2' }
    const prompter = createDefaultsPrompter()
    expect(await runInit({ ...flags, provision: true }, { prompter, provisionFile })).toBe(0)
    expect(provisionFile).toHaveBeenCalledWith('project.yml', 'workspace', '2.7')
    const printed: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0)
    expect(await runInit({ ...flags, output: 'b.yml', nvflareVersion: '2.9' }, { prompter })).toBe(0)
    expect(printed.join('')).toContain('Next: provision -p b.yml --nvflare-version 2.9')
    await expect(runInit({ ...flags, output: 'c.yml', nvflareVersion: '3' }, { prompter })).rejects.toThrow(
      /--nvflare-version "3": expected one of 2\.7, 2\.8, 2\.9/,
    )
  })

  it.each([
    ['the first question', /Project name/],
    ['the output file', /Write the project file to/],
    ['the confirmation', /Write project\.yml\?/],
  ])('Ctrl-C at %s: exit 130, nothing written', async (_, at) => {
    const p = scriptedPrompter([[at, CANCEL]])
    expect(await runInit({}, { prompter: p, provisionFile: noProvision })).toBe(130)
    expect(p.left()).toEqual([])
    expect(readdirSync(dir)).toEqual([])
    expect(noProvision).not.toHaveBeenCalled()
  })

  it('declining the summary writes nothing (exit 1)', async () => {
    const p = scriptedPrompter([[/Write project\.yml\?/, false]])
    expect(await runInit({}, { prompter: p, provisionFile: noProvision })).toBe(1)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses an output path in a missing folder, inline, and asks again', async () => {
    const p = scriptedPrompter([
      [/Write the project file to/, 'no/such/dir/p.yml'],
      [/Write the project file to/, 'p.yml'],
      [/Provision the startup kits now/, false],
    ])
    expect(await runInit({}, { prompter: p })).toBe(0)
    expect(p.notes.join('\n')).toMatch(/the folder .*no\/such\/dir does not exist/)
    expect(readdirSync(dir)).toEqual(['p.yml'])
  })
})
