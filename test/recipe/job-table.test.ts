import { describe, expect, it } from 'vitest'
import { classStatus } from '../../src/provision/targets/classes.js'
import { JOB_TARGETS } from '../../src/provision/targets/job.js'
import type { ComponentClass } from '../../src/provision/targets/job-class.js'
import { NVFLARE_VERSIONS } from '../../src/provision/targets/version.js'

describe.each(NVFLARE_VERSIONS)('the job table of NVFlare %s', (version) => {
  const target = JOB_TARGETS[version]

  it('names only widgets and an in-process executor that exist in that version', () => {
    const classes: ComponentClass[] = [
      ...target.serverWidgets.map((w) => w.cls),
      ...target.clientWidgets.map((w) => w.cls),
      target.inProcess.cls,
    ]
    for (const cls of classes) expect(classStatus(version, cls.path), cls.path).toBe('exists')
  })

  it('names no external-process class known to be missing in that version', () => {
    // The reference's class lists cover the classes its exports name (in-process jobs); NVFlare's own
    // export of an external-process job imports these, which is where they were checked.
    const form = target.externalProcess
    const classes = [
      form.executor.cls,
      ...(form.kind === 'launcher' ? form.components.map((w) => w.cls) : []),
    ]
    for (const cls of classes) expect(classStatus(version, cls.path), cls.path).not.toBe('missing')
    if (form.kind === 'launcher') {
      expect(form.components.map((w) => w.id)).toContain(form.launcherId)
    }
  })

  it('gives every widget a distinct id', () => {
    const ids = [...target.serverWidgets, ...target.clientWidgets].map((w) => w.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('what differs between versions (DIFFERENCES.md §5)', () => {
  it('2.9 alone adds the metrics artifact writer, third, and runs scripts through ClientAPIExecutor', () => {
    const ids = (v: (typeof NVFLARE_VERSIONS)[number]) => JOB_TARGETS[v].serverWidgets.map((w) => w.id)
    expect(ids('2.7')).toEqual(['json_generator', 'model_selector'])
    expect(ids('2.8')).toEqual(['json_generator', 'model_selector'])
    expect(ids('2.9')).toEqual(['json_generator', 'model_selector', 'metrics_artifact_writer'])
    expect(JOB_TARGETS['2.8'].inProcess.cls.path).toBe(
      'nvflare.app_opt.pt.in_process_client_api_executor.PTInProcessClientAPIExecutor',
    )
    expect(JOB_TARGETS['2.9'].inProcess).toMatchObject({
      cls: { path: 'nvflare.app_common.executors.client_api_executor.ClientAPIExecutor' },
      values: { execution_mode: 'in_process' },
    })
  })
})
