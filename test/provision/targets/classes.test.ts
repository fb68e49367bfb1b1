import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { targetAllowListsSource } from '../../../scripts/target-allow-lists-source.js'
import { targetClassesSource } from '../../../scripts/target-classes-source.js'
import { classStatus } from '../../../src/provision/targets/classes.js'

describe('per-version class lists', () => {
  it('classes.generated.ts is what the reference lists give (run `npm run gen:classes` when this fails)', () => {
    const file = new URL('../../../src/provision/targets/classes.generated.ts', import.meta.url)
    expect(readFileSync(file, 'utf8')).toBe(targetClassesSource())
  })

  it('allow-lists.generated.ts is what the reference kits hold (run `npm run gen:classes` when this fails)', () => {
    const file = new URL('../../../src/provision/targets/allow-lists.generated.ts', import.meta.url)
    expect(readFileSync(file, 'utf8')).toBe(targetAllowListsSource())
  })

  it('knows the classes that differ between versions (DIFFERENCES.md §6)', () => {
    const receiver = 'nvflare.app_common.logging.job_log_receiver.JobLogReceiver'
    expect(classStatus('2.7', receiver)).toBe('missing')
    expect(classStatus('2.8', receiver)).toBe('exists')
    const overseer = 'nvflare.ha.dummy_overseer_agent.DummyOverseerAgent'
    expect([
      classStatus('2.7', overseer),
      classStatus('2.8', overseer),
      classStatus('2.9', overseer),
    ]).toEqual(['exists', 'missing', 'missing'])
    const writer = 'nvflare.app_common.widgets.metrics_artifact_writer.MetricsArtifactWriter'
    expect(classStatus('2.8', writer)).toBe('missing')
    expect(classStatus('2.9', writer)).toBe('exists')
    expect(classStatus('2.9', 'nvflare.no.such.Class')).toBe('unknown')
  })
})
