import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectKitTarget } from '../../../src/provision/targets/detect.js'

const REF = new URL('../../fixtures/reference/nvflare-versions/', import.meta.url).pathname

describe('detectKitTarget', () => {
  it.each([
    ['2.7', '2.7'],
    ['2.8.1', '2.8'],
    ['main', '2.9'],
  ])('tells the target of NVFlare %s server and client kits', (folder, target) => {
    expect(detectKitTarget(join(REF, folder, 'kits', 'server1'))).toBe(target)
    expect(detectKitTarget(join(REF, folder, 'kits', 'site-1'))).toBe(target)
  })

  it('cannot tell an admin kit (the same in every version) or a folder that is no kit', () => {
    expect(detectKitTarget(join(REF, 'main', 'kits', 'admin@nvidia.com'))).toBeUndefined()
    expect(detectKitTarget(REF)).toBeUndefined()
  })
})
