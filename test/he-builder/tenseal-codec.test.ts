import { describe, expect, it } from 'vitest'
import {
  decodeCkksVector,
  decodeTensealContext,
  encodeCkksVector,
  encodeTensealContext,
  readSealHeader,
} from '../../src/he-builder/tenseal-codec.js'
import { readReference, topLevelFields } from './helpers.js'

describe('TenSEAL codec', () => {
  it.each(['client_context.tenseal', 'server_context.tenseal'])(
    're-encodes TenSEAL’s %s byte for byte',
    (name) => {
      const bytes = readReference(name)
      expect(Buffer.from(encodeTensealContext(decodeTensealContext(bytes))).equals(Buffer.from(bytes))).toBe(
        true,
      )
    },
  )

  it('reads what NVFlare’s HEBuilder wrote', () => {
    const client = decodeTensealContext(readReference('client_context.tenseal'))
    const server = decodeTensealContext(readReference('server_context.tenseal'))
    expect(client.encryptionParameters.length).toBe(76)
    expect(client.public).toMatchObject({
      autoFlags: 7,
      scale: 2 ** 40,
      publicKey: undefined,
      relinKeys: undefined,
    })
    expect(client.private).toMatchObject({ relinKeysGenerated: true, galoisKeysGenerated: false })
    expect(client.encryptionType).toBe('symmetric')
    expect(server.private).toBeUndefined()
    expect(server.public.relinKeys).toBeDefined()
    expect(topLevelFields(readReference('server_context.tenseal'))).toEqual([1, 2, 4])
    expect(topLevelFields(readReference('client_context.tenseal'))).toEqual([1, 2, 3, 4])
  })

  it('decodes and re-encodes CKKS vectors', () => {
    const bytes = readReference('ckks_vector_multi.tenseal')
    const vector = decodeCkksVector(bytes)
    expect(vector.sizes).toEqual([4096, 4096, 1808])
    expect(vector.scale).toBe(2 ** 40)
    expect(Buffer.from(encodeCkksVector(vector)).equals(Buffer.from(bytes))).toBe(true)
  })

  it('reads SEAL blob headers', () => {
    const { ciphertexts } = decodeCkksVector(readReference('ckks_vector_small.tenseal'))
    const blob = ciphertexts[0] as Uint8Array
    expect(readSealHeader(blob)).toEqual({ version: '4.1', compression: 'zstd', size: blob.length })
    expect(readSealHeader(new Uint8Array(16))).toBeUndefined()
  })
})
