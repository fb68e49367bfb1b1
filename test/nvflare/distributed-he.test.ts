import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { freePort, pocProjectYaml } from '../../src/recipe/envs/runtime/poc-project.js'
import { joinedClient } from '../../src/recipe/envs/runtime/registration.js'
import { ADMIN, CLIENTS, logTails, PROJECT, registrationLines, SERVER } from './federation.js'
import {
  checkGlobalModel,
  describeTargets,
  python,
  type Run,
  runBin,
  runBinOk,
  summary,
  TRAIN_SCRIPT,
} from './harness.js'

/** site-1 and admin@nvidia.com come from project.yml; site-2 and this admin from request → approve → package. */
const DISTRIBUTED = CLIENTS[1]
const DISTRIBUTED_ADMIN = 'ops@nvidia.com'

/** The admin's machine: project.yml with the server, site-1 and the admin, provisioned for the target. */
async function provisionCentrally(run: Run, version: string): Promise<{ admin: string; prod: string }> {
  const admin = join(run.root, 'admin')
  mkdirSync(admin)
  const [fedLearnPort, adminPort] = [await freePort(), await freePort()]
  if (!fedLearnPort || !adminPort || fedLearnPort === adminPort) throw new Error('no two free TCP ports')
  const spec = { projectName: PROJECT, numClients: 1, username: ADMIN }
  writeFileSync(join(admin, 'project.yml'), pocProjectYaml(spec, { fedLearnPort, adminPort }))
  await runBinOk(run, ['-p', 'project.yml', '-w', 'ws', '--nvflare-version', version], admin)
  return { admin, prod: join(admin, 'ws', PROJECT, 'prod_00') }
}

/**
 * A participant makes its key and request in its own folder; the request travels to the admin, who approves
 * it; the approval travels back and the participant packages its kit. The kit is written into the admin's
 * prod_00 only because this one machine runs the whole federation.
 */
async function joinDistributed(run: Run, admin: string, prod: string, name: string, more: string[] = []) {
  const site = join(run.root, `at-${name}`)
  mkdirSync(site)
  const requestArgs = ['request', '--name', name, '--org', 'nvidia', ...more, '-o', 'req', '--json']
  const made = JSON.parse((await runBinOk(run, requestArgs, site)).stdout) as {
    requestFile: string
    requestSha256: string
  }
  copyFileSync(made.requestFile, join(admin, `${name}.request.json`))
  const approveArgs = ['approve', `${name}.request.json`, '-p', 'project.yml', '-w', 'ws', '--yes', '--json']
  const approved = JSON.parse((await runBinOk(run, approveArgs, admin)).stdout) as {
    approvalFile: string
    requestSha256: string
    rootFingerprint: string
  }
  expect(approved.requestSha256).toBe(made.requestSha256)
  copyFileSync(approved.approvalFile, join(site, `${name}.approval.json`))
  const packageArgs = ['package', `${name}.approval.json`, '--request-dir', 'req']
  packageArgs.push('--root-fingerprint', approved.rootFingerprint, '-o', join(prod, name))
  await runBinOk(run, packageArgs, site)
}

/** poc start, the job through the admin kit with --prod --wait, and (always) poc stop. Returns the global model. */
async function runJob(run: Run, prod: string): Promise<string> {
  const kitDirs = [SERVER, ...CLIENTS].map((k) => join(prod, k))
  try {
    const started = await runBin(run, ['poc', 'start', '-w', prod, '--python', python.python])
    for (const line of registrationLines(kitDirs[0]!)) run.say(`server log: ${line}`)
    if (started.code !== 0)
      throw new Error(`poc start exited ${started.code}\n${logTails(kitDirs, undefined)}`)
    // submitted through the distributed admin's kit: it logs in with its own key
    const args = ['job', 'fedavg-he', '--kits', prod, '--username', DISTRIBUTED_ADMIN, '--prod', '--wait']
    args.push('--train-script', TRAIN_SCRIPT)
    args.push('--model', 'model.SimpleNet', '--num-rounds', '2', '--python', python.python)
    const job = await runBin(run, args)
    const jobId = /^status: \S+ \(job ([^,)\s]+)/m.exec(job.stdout)?.[1]
    if (job.code !== 0) throw new Error(`the job exited ${job.code}\n${logTails(kitDirs, jobId)}`)
    expect(summary(job.stdout, 'status')).toMatch(/^FINISHED:COMPLETED \(job \S+/)
    expect(job.stderr).toContain(`clients registered with the server: ${CLIENTS.join(', ')}`)
    expect(summary(job.stdout, 'result'), 'downloaded into the distributed admin kit').toContain(
      join(prod, DISTRIBUTED_ADMIN, 'transfer'),
    )
    return summary(job.stdout, 'global model')!
  } finally {
    const stopped = await runBin(run, ['poc', 'stop', '-w', prod])
    expect(stopped.code, stopped.stderr).toBe(0)
  }
}

describeTargets(
  'NVFlare runtime: a site and an admin packaged by the distributed flow run an HE job',
  'distributed',
  (t) =>
    `NVFlare ${t.version} (${t.source}): site-2 and an admin from request → approve → package: site-2 registers with the central server, the admin submits the HE job, it completes, and site-2's context decrypts the global model`,
  async (run, target) => {
    const { admin, prod } = await provisionCentrally(run, target.version)
    await joinDistributed(run, admin, prod, DISTRIBUTED)
    await joinDistributed(run, admin, prod, DISTRIBUTED_ADMIN, ['--type', 'admin', '--role', 'project_admin'])
    const globalModel = await runJob(run, prod)
    const joined = registrationLines(join(prod, SERVER)).map((line) => joinedClient(line))
    expect(joined, 'the server log names site-2 as joined').toContain(DISTRIBUTED)
    // the FedAvg weighs site-2's update 3:1, so a match also shows that site-2 trained and encrypted with the shared key
    await checkGlobalModel(run, globalModel, join(prod, DISTRIBUTED, 'startup', 'client_context.tenseal'))
  },
)
