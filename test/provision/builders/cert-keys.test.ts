import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertBuilder } from '../../../src/provision/builders/cert.js'
import { type KeyPool, runKeys } from '../../../src/provision/pki/key-pool.js'
import { fixtureKeySource } from '../../helpers/key-fixtures.js'
import { admin, client, makeContext, makeProject, server } from '../../helpers/project-fixtures.js'
import { useTempDir } from '../../helpers/temp.js'

const NOW = new Date('2026-03-01T12:00:00.000Z')
const project = () => makeProject([server(), client('site-1'), admin('admin@nvidia.com', 'project_admin')])

describe('cert builder: where the keys come from', () => {
  const tempDir = useTempDir()

  it('takes every key from the source of its context, and leaves a caller source open', async () => {
    const source = fixtureKeySource(3)
    const { ctx } = makeContext(project(), tempDir(), NOW, {}, source)
    const builder = createCertBuilder({ rootValidDays: 360 })
    await builder.initialize?.(ctx)
    await builder.build(ctx)
    await builder.finalize?.(ctx)
    expect(source.taken).toHaveLength(4) // root + 3 participants
    const kitKeys = [
      'server1/startup/server.key',
      'site-1/startup/client.key',
      'admin@nvidia.com/startup/client.key',
    ]
    for (const file of kitKeys) expect(source.taken).toContain(readFileSync(join(ctx.wipDir, file), 'utf8'))
    expect(source.closed).toBe(0)
  })

  it('closes a source of the run once its keys are made', async () => {
    const source = fixtureKeySource()
    const { ctx } = makeContext(project(), tempDir(), NOW, {}, { source, closeWhenDone: true })
    const builder = createCertBuilder({ rootValidDays: 360 })
    await builder.initialize?.(ctx)
    await builder.build(ctx)
    expect(source.closed).toBeGreaterThan(0)
  })

  it('closes its own pool at finalize when the run fails before the certificates are made', async () => {
    const keys = runKeys('prime-search')
    const pool = keys.source as KeyPool
    const { ctx } = makeContext(project(), tempDir(), NOW, {}, keys)
    const builder = createCertBuilder({ rootValidDays: 360 })
    await builder.initialize?.(ctx)
    expect(pool.size).toBeGreaterThan(0) // workers making the prefetched keys
    await builder.finalize?.(ctx) // what the provisioner does when a builder before cert fails in build
    expect(pool.isClosed).toBe(true)
    await expect(pool.take()).rejects.toThrow(/closed/)
  })
})
