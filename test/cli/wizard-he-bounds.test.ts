import { describe, expect, it } from 'vitest'
import { runWizard } from '../../src/cli/wizard.js'
import { isProvisionError } from '../../src/errors.js'
import { checkHeArgs } from '../../src/he-builder/params.js'
import { scriptedPrompter } from './wizard-prompter.js'

/**
 * Issue 14, defects 8 and 13 in the wizard: it accepts only HE parameters the loader accepts (the same
 * checkHeArgs), so no answer leads to a SEAL failure or a 47-second key.
 */
describe('runWizard: HE parameters are bounded as the loader bounds them', () => {
  it('re-asks more primes than NVFlare uses, and primes SEAL cannot find, with the loader’s reasons', async () => {
    const p = scriptedPrompter([
      [/Polynomial modulus degree/, '8192'],
      [/bit sizes/, '60, 40, 40, 40, 40'], // 5 primes: more than the filters use
      [/bit sizes/, '20, 16, 16'], // no 16-bit primes ≡ 1 mod 16384
      [/bit sizes/, '60, 40, 40, 40'],
    ])
    const { project } = await runWizard(p)
    expect(p.left()).toEqual([])
    const he = project.builders.find((b) => b.id === 'he')
    expect(he?.args['coeff_mod_bit_sizes']).toEqual([60, 40, 40, 40])
    const shown = p.notes.join('\n')
    expect(shown).toContain('has 5 primes; at most 4 (first, 2 middle, special)')
    expect(shown).toContain('2 primes of 16 bits, but at poly_modulus_degree 8192 there is none')
  })

  it('does not offer N=1024 (no room for 3 primes), and refuses it as a flag', async () => {
    const offered: string[] = []
    const p = scriptedPrompter([])
    const select = p.select
    p.select = (q) => {
      if (/Polynomial modulus degree/.test(q.message)) offered.push(...q.choices.map((c) => c.value))
      return select(q)
    }
    await runWizard(p)
    expect(offered).toEqual(['2048', '4096', '8192', '16384', '32768'])
    expect(checkHeArgs({ poly_modulus_degree: 1024 }).ok).toBe(false)
    const error = await runWizard(scriptedPrompter([], false), { polyModulusDegree: '1024' }).catch(
      (e: unknown) => e,
    )
    expect(isProvisionError(error) && error.message).toMatch(/--poly-modulus-degree/)
  })
})
