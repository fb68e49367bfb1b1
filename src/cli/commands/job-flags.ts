import { z } from 'zod'
import { DEFAULT_TIMEOUTS } from '../../recipe/envs/runtime/timeouts.js'
import { number, on, text } from '../../recipe/flag-parsers.js'
import { flagTable } from '../../recipe/option-flags.js'

const dir = z.string().min(1, { error: 'must be a folder' })
const seconds = z.number().positive({ error: 'must be a positive number of seconds' })

/**
 * How `job fedavg-he` runs: its flags that are no recipe option (those are FEDAVG_HE_FLAGS, from the
 * recipe's schema). A new one is a key here and a line in JOB_ENV_FLAGS.
 */
const jobEnvSchema = z.strictObject({
  kits: dir,
  username: z.string().min(1, { error: 'must be a user name' }),
  output: dir,
  json: z.boolean(),
  // running the job (PocEnv, ProdEnv): see job-run.ts
  poc: z.boolean(),
  workspace: dir,
  numClients: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be ≥ 1' }),
  prod: z.boolean(),
  wait: z.boolean(),
  python: z.string().min(1, { error: 'must be an interpreter' }),
  registrationTimeout: seconds,
  startTimeout: seconds,
  roundTimeout: seconds,
})

export type JobEnvValues = Partial<z.output<typeof jobEnvSchema>>

export const JOB_ENV_FLAGS = flagTable(jobEnvSchema, (f) => [
  f.value(
    'kits',
    '--kits <dir>',
    text,
    'the prod_NN folder of an HE provisioning run (or the admin kit in it); not with --poc',
  ),
  f.value('username', '--username <user>', text, 'the admin user whose kit submits the job', {
    defaultHelp: 'the only admin kit',
  }),
  f.value(
    'output',
    '-o, --output <dir>',
    text,
    'write the job folder into DIR instead of the admin kit’s transfer/',
  ),
  f.value('json', '--json', on, 'print the result as JSON'),
  f.value('poc', '--poc', on, 'run it on a local federation of new (or reused) kits in -w DIR, then stop it'),
  f.value('workspace', '-w, --workspace <dir>', text, 'with --poc: the folder of the PoC project', {
    defaultHelp: 'workspace',
  }),
  f.value('numClients', '--num-clients <n>', number, 'with --poc: the number of clients', {
    defaultHelp: '--min-clients, else 2',
  }),
  f.value('prod', '--prod', on, 'submit it through the admin kit of --kits to the running federation'),
  f.value('wait', '--wait', on, 'with --prod: follow the job to its end and download the result'),
  f.value('python', '--python <path>', text, 'the interpreter that runs NVFlare', {
    defaultHelp: '$FEDFORGE_PYTHON, else python3',
  }),
  f.value(
    'registrationTimeout',
    '--registration-timeout <s>',
    number,
    'seconds for every client to register',
    {
      defaultHelp: String(DEFAULT_TIMEOUTS.registration),
    },
  ),
  f.value('startTimeout', '--start-timeout <s>', number, 'seconds from submission until the job runs', {
    defaultHelp: String(DEFAULT_TIMEOUTS.jobStart),
  }),
  f.value('roundTimeout', '--round-timeout <s>', number, 'seconds each round may take', {
    defaultHelp: String(DEFAULT_TIMEOUTS.round),
  }),
])
