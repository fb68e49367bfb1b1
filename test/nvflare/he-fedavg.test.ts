import { join } from 'node:path'
import { expect } from 'vitest'
import { ADMIN, CLIENTS, logTails, PROJECT, registrationLines, SERVER } from './federation.js'
import {
  checkGlobalModel,
  describeTargets,
  python,
  type Run,
  runBin,
  summary,
  TRAIN_SCRIPT,
} from './harness.js'

/**
 * `provision job fedavg-he --poc` through the built bin: it provisions the PoC project for the target,
 * starts the server and both clients from their kits, waits for them, runs the job through the runtime
 * driver, downloads the result and stops every process. Returns the global model's file.
 */
async function runPoc(run: Run, version: string): Promise<{ globalModel: string; prod: string }> {
  const args = ['job', 'fedavg-he', '--poc', '--train-script', TRAIN_SCRIPT]
  args.push('--model', 'model.SimpleNet', '--num-rounds', '2', '-w', join(run.root, 'ws'))
  args.push('--nvflare-version', version, '--python', python.python)
  const bin = await runBin(run, args)
  const prod = join(run.root, 'ws', PROJECT, 'prod_00')
  const kitDirs = [SERVER, ...CLIENTS].map((k) => join(prod, k))
  for (const line of registrationLines(kitDirs[0]!)) run.say(`server log: ${line}`)
  const jobId = /^status: \S+ \(job ([^,)\s]+)/m.exec(bin.stdout)?.[1]
  if (bin.code !== 0) throw new Error(`the bin exited ${bin.code}\n${logTails(kitDirs, jobId)}`)
  expect(summary(bin.stdout, 'status')).toMatch(/^FINISHED:COMPLETED \(job \S+, round 2 of 2\)$/)
  expect(bin.stderr).toContain(`clients registered with the server: ${CLIENTS.join(', ')}`)
  expect(summary(bin.stdout, 'result')).toBe(join(prod, ADMIN, 'transfer', jobId!))
  return { globalModel: summary(bin.stdout, 'global model')!, prod }
}

describeTargets(
  'NVFlare runtime: provision job fedavg-he --poc, our kits and HE FedAvg job on the real NVFlare',
  'poc',
  (t) =>
    `NVFlare ${t.version} (${t.source}): --poc runs 2 rounds to FINISHED:COMPLETED, the global model decrypts to the FedAvg, no process is left`,
  async (run, target) => {
    const { globalModel, prod } = await runPoc(run, target.version)
    await checkGlobalModel(run, globalModel, join(prod, CLIENTS[0], 'startup', 'client_context.tenseal'))
  },
)
