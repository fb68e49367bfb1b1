import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode, isProvisionError } from '../../src/errors.js'
import { DEFAULT_NVFLARE_VERSION } from '../../src/provision/targets/version.js'
import { chooseJobTarget } from '../../src/recipe/envs/kit-target.js'
import type { KitCheck } from '../../src/recipe/spec.js'
import { REFERENCE } from '../helpers/paths.js'

/** A kit of NVFlare's own provisioning for reference folder `folder` (2.7, 2.8.1, main). */
const kit = (folder: string, name: string, type: KitCheck['type'], as = name) => ({
  name: as,
  type,
  dir: join(REFERENCE, 'nvflare-versions', folder, 'kits', name),
})
const federation = (folder: string) => [
  kit(folder, 'server1', 'server'),
  kit(folder, 'site-1', 'client'),
  kit(folder, 'admin@nvidia.com', 'admin'),
]

describe('chooseJobTarget', () => {
  it.each([
    ['2.7', '2.7'],
    ['2.8.1', '2.8'],
    ['main', '2.9'],
  ])('reads NVFlare %s kits as target %s, from the server kit', (folder, version) => {
    expect(chooseJobTarget(undefined, federation(folder))).toEqual({
      version,
      source: 'kits',
      kit: 'server1',
      warnings: [],
    })
  })

  it('takes a client kit’s word when the server kit does not tell, and the default when none does', () => {
    const admin = kit('main', 'admin@nvidia.com', 'admin')
    expect(chooseJobTarget(undefined, [kit('2.7', 'site-1', 'client'), admin])).toMatchObject({
      version: '2.7',
      source: 'kits',
      kit: 'site-1',
    })
    expect(chooseJobTarget(undefined, [admin])).toEqual({
      version: DEFAULT_NVFLARE_VERSION,
      source: 'default',
      kit: undefined,
      warnings: [],
    })
  })

  it('refuses kits written for different versions (exit 2), naming each kit and its version', () => {
    const kits = [
      kit('2.8.1', 'server1', 'server'),
      kit('main', 'site-1', 'client'),
      kit('2.8.1', 'site-1', 'client', 'site-2'),
    ]
    const error = (() => {
      try {
        chooseJobTarget(undefined, kits)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(isProvisionError(error) && error.exitCode).toBe(ExitCode.badInput)
    expect((error as Error).message).toBe(
      'the kits were written for different NVFlare versions: server1 2.8, site-1 2.9, site-2 2.8',
    )
  })

  it('keeps a given version, warning about each kit written for another', () => {
    expect(chooseJobTarget('2.7', federation('main'))).toEqual({
      version: '2.7',
      source: 'option',
      kit: undefined,
      warnings: [
        'the job targets NVFlare 2.7 but kit server1 was written for 2.9',
        'the job targets NVFlare 2.7 but kit site-1 was written for 2.9',
      ],
    })
    expect(chooseJobTarget('2.9', federation('main')).warnings).toEqual([])
  })
})
