import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  followRoundLog,
  jobNumRounds,
  type Round,
  RoundWatch,
} from '../../../src/recipe/envs/runtime/round-watch.js'
import { FedAvgRecipeWithHE } from '../../../src/recipe/fedavg-he.js'
import { CLIENT_PY, tempDirs } from '../helpers.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

describe('RoundWatch', () => {
  it('reports each new round once, whatever source sees it first, and ignores older or impossible ones', () => {
    const seen: Round[] = []
    const watch = new RoundWatch(
      600,
      (r) => seen.push(r),
      () => {},
    )
    for (const round of [1, 1, 2, 1, 3, 0]) watch.saw({ round, numRounds: 2 })
    watch.stop()
    expect(seen).toEqual([
      { round: 1, numRounds: 2 },
      { round: 2, numRounds: 2 },
    ])
  })

  it('calls time when a running job shows no new round within the limit, and not after it stopped', async () => {
    const timedOut = new Promise<void>((resolve) => {
      const watch = new RoundWatch(0.05, () => {}, resolve)
      watch.started()
      watch.saw({ round: 1, numRounds: 2 })
    })
    await timedOut
    let fired = false
    const stopped = new RoundWatch(
      0.01,
      () => {},
      () => {
        fired = true
      },
    )
    stopped.started()
    stopped.stop()
    await new Promise((r) => setTimeout(r, 50))
    expect(fired).toBe(false)
  })
})

describe('the server job log as a source of rounds', () => {
  it('reads ScatterAndGather\'s "Round N started." lines as round N + 1, also when the log appears late', async () => {
    const log = join(temp.make(), 'log.txt')
    const rounds: Round[] = []
    const both = new Promise<void>((resolve) => {
      const stop = followRoundLog(log, 2, (r) => {
        rounds.push(r)
        if (rounds.length === 2) {
          stop()
          resolve()
        }
      })
    })
    writeFileSync(
      log,
      '2026-12-01 22:55:14,487 - ScatterAndGather - INFO - [wf=controller] - Round 0 started.\n',
    )
    appendFileSync(log, '... - Round 0 finished.\n... - Round 1 started.\n')
    await both
    expect(rounds).toEqual([
      { round: 1, numRounds: 2 },
      { round: 2, numRounds: 2 },
    ])
  })

  it('takes the number of rounds from the job’s workflow, also when it is the default the config leaves out', () => {
    const rounds = (numRounds: number) =>
      jobNumRounds(new FedAvgRecipeWithHE({ minClients: 2, trainScript: CLIENT_PY, numRounds }).job)
    expect([rounds(2), rounds(5), rounds(7)]).toEqual([2, 5, 7])
  })
})
