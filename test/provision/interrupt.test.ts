import { describe, expect, it } from 'vitest'
import { runLimited, unlessInterrupted } from '../../src/provision/interrupt.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('runLimited', () => {
  it('runs every item, never more than `limit` at a time', async () => {
    let running = 0
    let most = 0
    const done: number[] = []
    await runLimited([1, 2, 3, 4, 5, 6, 7], 3, new AbortController().signal, async (n) => {
      most = Math.max(most, ++running)
      await tick()
      running--
      done.push(n)
    })
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(most).toBe(3)
  })

  it('takes no new item once the signal aborts, and rejects as interrupted (exit 130)', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const run = runLimited([1, 2, 3, 4, 5, 6], 2, controller.signal, async (n) => {
      started.push(n)
      if (n === 2) controller.abort()
      await tick()
    })
    await expect(run).rejects.toMatchObject({ code: 'interrupted', exitCode: 130 })
    expect(started).toEqual([1, 2])
  })

  it('stops the other lanes after the first failure', async () => {
    const started: number[] = []
    const run = runLimited([1, 2, 3, 4, 5, 6], 2, new AbortController().signal, async (n) => {
      started.push(n)
      await tick()
      if (n === 1) throw new Error('disk full')
    })
    await expect(run).rejects.toThrow('disk full')
    expect(started.length).toBeLessThan(6)
  })
})

describe('unlessInterrupted', () => {
  it('rejects as soon as the signal aborts, without waiting for the promise', async () => {
    const controller = new AbortController()
    const never = new Promise<string>(() => {})
    const wait = unlessInterrupted(never, controller.signal)
    controller.abort()
    await expect(wait).rejects.toMatchObject({ code: 'interrupted' })
  })

  it('passes the value through when nothing aborts', async () => {
    await expect(unlessInterrupted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7)
  })
})
