import { z } from 'zod'
import { on, text } from '../../recipe/flag-parsers.js'
import { flagTable } from '../../recipe/option-flags.js'

const dir = z.string().min(1, { error: 'must be a folder' })

/**
 * How `job fedavg-he` runs: its flags that are no recipe option (those are FEDAVG_HE_FLAGS, from the
 * recipe's schema). A new one is a key here and a line in JOB_ENV_FLAGS.
 */
const jobEnvSchema = z.strictObject({
  kits: dir,
  username: z.string().min(1, { error: 'must be a user name' }),
  output: dir,
  json: z.boolean(),
})

export type JobEnvValues = Partial<z.output<typeof jobEnvSchema>>

export const JOB_ENV_FLAGS = flagTable(jobEnvSchema, (f) => [
  f.value(
    'kits',
    '--kits <dir>',
    text,
    'the prod_NN folder of an HE provisioning run (or the admin kit in it)',
    {
      required: true,
    },
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
])
