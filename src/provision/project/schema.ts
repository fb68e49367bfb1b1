import { z } from 'zod'

/**
 * What a project.yml may say (NVFlare's format, api_version 3 and 4). Names and cross-field rules are
 * checked in rules.ts; this schema checks shapes and types. Unknown keys are kept, as NVFlare keeps them.
 */

const port = z
  .number({ error: 'expected a port number from 1 to 65535' })
  .int({ error: 'expected a whole port number from 1 to 65535' })
  .min(1, { error: 'expected a port number from 1 to 65535' })
  .max(65535, { error: 'expected a port number from 1 to 65535' })

const text = (what: string) => z.string({ error: `expected ${what} (a string)` })

const hostNames = z.union([text('a host name'), z.array(text('a host name'))], {
  error: 'expected a host name or a list of host names',
})

export const listeningHostSchema = z.union(
  [
    text('a host name'),
    z.looseObject({
      default_host: text('a host name').optional(),
      host_names: hostNames.optional(),
      port: port.optional(),
      scheme: text('a scheme such as grpc').optional(),
      connection_security: text('clear, tls or mtls').optional(),
    }),
  ],
  { error: 'expected a host name or a mapping with default_host, host_names, port' },
)

export const connectToSchema = z.union(
  [
    text('a participant or host name'),
    z.looseObject({
      name: text('a participant name').optional(),
      host: text('a host name').optional(),
      port: port.optional(),
      connection_security: text('clear, tls or mtls').optional(),
    }),
  ],
  { error: 'expected a name or a mapping with name, host, port' },
)

export const participantSchema = z.looseObject({
  name: text('a participant name'),
  type: z.enum(['server', 'client', 'admin', 'relay', 'overseer'], {
    error: 'expected one of server, client, admin, relay',
  }),
  org: text('an organization name'),
  role: text('an admin role').optional(),
  fed_learn_port: port.optional(),
  admin_port: port.optional(),
  default_host: text('a host name').optional(),
  host_names: hostNames.optional(),
  connection_security: text('clear, tls or mtls').optional(),
  listening_host: listeningHostSchema.optional(),
  connect_to: connectToSchema.optional(),
  parent: text('the name of a parent client').optional(),
  capacity: z
    .looseObject({
      num_of_gpus: z.number().int().min(0, { error: 'expected 0 or more' }).optional(),
      mem_per_gpu_in_GiB: z.number().min(0, { error: 'expected 0 or more' }).optional(),
    })
    .optional(),
  allow_log_streaming: z.boolean({ error: 'expected true or false' }).optional(),
})

export const builderEntrySchema = z.looseObject({
  path: text('a builder path such as nvflare.lighter.impl.cert.CertBuilder or cert'),
  args: z
    .record(z.string(), z.unknown(), { error: 'expected a mapping of argument names to values' })
    .nullish(),
})

export const studySchema = z.looseObject({
  site_orgs: z.record(z.string(), z.array(text('a client name')), {
    error: 'expected a mapping of org names to lists of client names',
  }),
  admins: z.array(text('an admin name')).optional(),
})

export const projectFileSchema = z.looseObject({
  api_version: z.union([z.literal(3), z.literal(4)], { error: 'expected api_version 3 or 4' }),
  name: text('a project name'),
  description: z.string({ error: 'expected a description (a string)' }).nullish(),
  participants: z.array(participantSchema, { error: 'expected a list of participants' }),
  builders: z.array(builderEntrySchema, { error: 'expected a list of builders' }).optional(),
  studies: z.record(z.string(), studySchema, { error: 'expected a mapping of study names' }).optional(),
  packager: z.unknown().optional(),
})

/** What project.yml says, before defaults. */
export type ProjectFile = z.infer<typeof projectFileSchema>
export type ParticipantEntry = z.infer<typeof participantSchema>
export type ListeningHostEntry = z.infer<typeof listeningHostSchema>
export type ConnectToEntry = z.infer<typeof connectToSchema>
