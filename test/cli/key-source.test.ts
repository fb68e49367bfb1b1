import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_KEY_METHOD, keyMethodName } from '../../src/provision/pki/key-source.js'
import { checkKeyLikeOpenSsl } from '../helpers/key-checks.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'

const BUILDERS = ['workspace', 'static', 'cert', 'signature']

describe('provision -p: the key source in the summary and in --json', () => {
  const tempDir = useTempDir()
  const projectIn = (dir: string) => {
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('keys', { builders: BUILDERS }))
    return dir
  }

  it('--json names the default source and counts the keys it made', () => {
    const dir = projectIn(tempDir())
    const r = runBin(['-p', 'project.yml', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as { keySource: string; newKeys: number; prodDir: string }
    expect(doc.keySource).toBe(keyMethodName(DEFAULT_KEY_METHOD))
    expect(doc.newKeys).toBe(4) // root + server + site-1 + admin
    checkKeyLikeOpenSsl(readFileSync(join(doc.prodDir, 'site-1', 'startup', 'client.key'), 'utf8'))
  })

  it.each([
    ['prime-search', 'prime-search'],
    ['openssl', keyMethodName('openssl')], // works on any OpenSSL, only slower
  ])('--key-source %s: the summary says so; a rerun that makes no key says that', (flag, name) => {
    const dir = projectIn(tempDir())
    const r = runBin(['-p', 'project.yml', '--key-source', flag], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`RSA keys: 4 new, made by ${name}`)
    checkKeyLikeOpenSsl(
      readFileSync(join(dir, 'workspace/keys/prod_00/server.example.com/startup/server.key'), 'utf8'),
    )
    const again = runBin(['-p', 'project.yml', `--key-source=${flag}`], dir)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('RSA keys: none new (every key was kept in state/)')
  })

  it('--key-source with an unknown method: exit 2 naming the flag and the choices, nothing written', () => {
    const dir = projectIn(tempDir())
    const r = runBin(['-p', 'project.yml', '--key-source', 'rsa'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--key-source: unknown key source "rsa"')
    expect(r.stderr).toContain('openssl, prime-search')
    expect(existsSync(join(dir, 'workspace'))).toBe(false)
  })
})

describe('provision request: the site key from the same key sources', () => {
  const tempDir = useTempDir()

  it.each([
    [[], keyMethodName(DEFAULT_KEY_METHOD)],
    [['--key-source', 'openssl'], keyMethodName('openssl')],
    [['--key-source', 'prime-search'], 'prime-search'],
  ])('%j: the key is made by %s and passes the RSA_check_key checks', (flags, name) => {
    const dir = tempDir()
    const r = runBin(['request', '--name', 'site-9', '--org', 'h', '-o', 'req', '--json', ...flags], dir)
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as { keySource: string; keyFile: string }
    expect(doc.keySource).toBe(name)
    checkKeyLikeOpenSsl(readFileSync(doc.keyFile, 'utf8'))
  })

  it('an unknown method: exit 2 naming the flag, no key and no request written', () => {
    const dir = tempDir()
    const r = runBin(['request', '--name', 'site-9', '--org', 'h', '-o', 'req', '--key-source', 'rsa'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--key-source: unknown key source "rsa"')
    expect(existsSync(join(dir, 'req'))).toBe(false)
  })
})
