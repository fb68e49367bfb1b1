import { describe, expect, it } from 'vitest'
import { provisionsProjectFile } from '../../src/cli/early-start.js'

describe('early key generation', () => {
  it('starts only for a run that provisions a project file', () => {
    expect(provisionsProjectFile(['-p', 'project.yml'])).toBe(true)
    expect(provisionsProjectFile(['-w', 'ws', '--project-file', 'p.yml', '--zip'])).toBe(true)
    expect(provisionsProjectFile(['--project-file=p.yml'])).toBe(true)
    expect(provisionsProjectFile([])).toBe(false) // the wizard asks first
    expect(provisionsProjectFile(['-g', '-p', 'new.yml'])).toBe(false) // writes a sample only
    expect(provisionsProjectFile(['-p', 'project.yml', '--help'])).toBe(false)
    expect(provisionsProjectFile(['verify', 'prod_00/site-1'])).toBe(false)
    expect(provisionsProjectFile(['init', '--yes', '--provision'])).toBe(false)
    expect(provisionsProjectFile(['job', 'fedavg-he', '--kits', 'prod_00'])).toBe(false)
  })
})
