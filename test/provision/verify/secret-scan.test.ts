import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanForSecrets } from '../../../src/provision/verify/secret-scan.js'
import { useTempDir } from '../../helpers/temp.js'

const CHUNK = 1024 * 1024
const AHEAD = 16 * 1024
const TENSEAL = new URL('../../fixtures/reference/tenseal/', import.meta.url)

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const SECRETS = {
  'PEM private key': Buffer.from(rsa.export({ format: 'pem', type: 'pkcs8' }) as string),
  'DER private key': rsa.export({ format: 'der', type: 'pkcs1' }),
  'HE secret key': readFileSync(new URL('client_context.tenseal', TENSEAL)),
} as const

describe('scanForSecrets', () => {
  const temp = useTempDir('fedforge-scan-')

  it('finds each kind wherever it sits relative to the chunk edge and the look-ahead edge', () => {
    const dir = temp()
    const file = join(dir, 'f')
    const filler = randomBytes(2 * CHUNK)
    for (const [kind, secret] of Object.entries(SECRETS)) {
      for (const edge of [CHUNK, CHUNK - AHEAD]) {
        for (let shift = -40; shift <= 40; shift += 3) {
          const at = edge + shift
          writeFileSync(file, Buffer.concat([filler.subarray(0, at), secret, filler.subarray(at)]))
          expect([...scanForSecrets(file)], `${kind} at ${at}`).toEqual([kind])
        }
      }
    }
  })

  it('finds a secret at the very start and the very end of a file', () => {
    const file = join(temp(), 'f')
    for (const [kind, secret] of Object.entries(SECRETS)) {
      writeFileSync(file, secret)
      expect([...scanForSecrets(file)]).toEqual([kind])
      writeFileSync(file, Buffer.concat([randomBytes(3 * CHUNK + 5), secret]))
      expect([...scanForSecrets(file)]).toEqual([kind])
    }
  })

  it('finds an EC key (SEC1 and PKCS#8 DER) and a PEM "RSA PRIVATE KEY"', () => {
    const file = join(temp(), 'f')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
    for (const type of ['sec1', 'pkcs8'] as const) {
      writeFileSync(file, Buffer.concat([randomBytes(100), ec.export({ format: 'der', type })]))
      expect([...scanForSecrets(file)], type).toEqual(['DER private key'])
    }
    writeFileSync(file, rsa.export({ format: 'pem', type: 'pkcs1' }))
    expect([...scanForSecrets(file)]).toEqual(['PEM private key'])
  })

  it('no false alarm: random bytes, a public key (PEM and DER), a server HE context, a CKKS vector', () => {
    const file = join(temp(), 'f')
    writeFileSync(file, randomBytes(24 * CHUNK))
    expect(scanForSecrets(file).size).toBe(0)
    const pub = createPublicKey(rsa)
    const publicKeys = [
      pub.export({ format: 'pem', type: 'spki' }),
      pub.export({ format: 'der', type: 'spki' }),
    ]
    writeFileSync(file, Buffer.concat(publicKeys.map((k) => Buffer.from(k))))
    expect(scanForSecrets(file).size).toBe(0)
    for (const name of ['server_context.tenseal', 'ckks_vector_multi.tenseal']) {
      expect(scanForSecrets(new URL(name, TENSEAL).pathname).size, name).toBe(0)
    }
  })
})
