import { describe, expect, it } from 'vitest'
import { keySourceFlag, provisionsProjectFile, startKeysEarly } from '../../src/cli/early-start.js'
import { DEFAULT_KEY_METHOD } from '../../src/provision/pki/key-source.js'

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
    expect(startKeysEarly(['verify', 'prod_00/site-1'])).toBeUndefined()
  })

  it('reads --key-source as commander does (the last one counts); a bad value starts nothing', () => {
    expect(keySourceFlag(['-p', 'p.yml'])).toBeUndefined()
    expect(keySourceFlag(['-p', 'p.yml', '--key-source', 'openssl'])).toBe('openssl')
    expect(keySourceFlag(['--key-source=prime-search', '-p', 'p.yml'])).toBe('prime-search')
    expect(keySourceFlag(['--key-source', 'openssl', '--key-source', 'prime-search'])).toBe('prime-search')
    expect(keySourceFlag(['-p', 'p.yml', '--key-source', 'rsa'])).toBeNull()
    expect(keySourceFlag(['-p', 'p.yml', '--key-source'])).toBeNull()
    expect(startKeysEarly(['-p', 'p.yml', '--key-source', 'rsa'])).toBeUndefined() // the command says why
  })

  it('starts a pool with the method of the flag, else the default, for the command to use', async () => {
    for (const [args, method] of [
      [['-p', 'p.yml', '--key-source', 'prime-search'], 'prime-search'],
      [['-p', 'p.yml'], DEFAULT_KEY_METHOD],
    ] as const) {
      const pool = startKeysEarly(args)
      try {
        expect(pool?.method).toBe(method)
        expect(pool?.size).toBeGreaterThan(0) // workers already making keys
        await expect(pool?.take()).resolves.toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
      } finally {
        await pool?.close()
      }
    }
  })
})
