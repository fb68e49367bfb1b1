/** Exit codes of the `provision` command. */
export const ExitCode = {
  ok: 0,
  /** A check failed (for example `provision verify` found a problem). */
  failed: 1,
  /** The input was bad: a project file, an argument, a kit the user pointed at. */
  badInput: 2,
  /** The workspace is busy or in a state the user must resolve (lock held, state mismatch). */
  conflict: 3,
  /** A bug in fedforge: anything thrown that is not a ProvisionError (printed with its stack). */
  internal: 70,
  /** Interrupted by the user (Ctrl-C). */
  interrupted: 130,
} as const

/** One of the ExitCode values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * Every ProvisionError code, each with what it means. A caller tells errors apart by code, so two codes
 * exist only where a caller would react differently; the type below makes any other string a compile error.
 */
export const PROVISION_ERROR_CODES = {
  'not-found': 'a file or folder the user named does not exist (or is not a folder where one is needed)',
  'not-a-file': 'a path the user named is a folder, device or pipe where a regular file is needed',
  'file-unreadable': 'a file exists but cannot be opened for reading',
  'file-too-large': 'a file is larger than fedforge reads for its kind',
  'file-exists': 'the output file already exists and --force was not given; it was left as it is',
  'no-terminal': 'a command must ask the user, and standard input is not a terminal',
  'bad-option': 'a command-line flag or its value is not valid',
  'root-not-pem': 'the root certificate given with --root is not a PEM certificate',
  'invalid-project': 'project.yml has problems (each listed with its key path and line:col)',
  'bad-nvflare-version': 'the NVFlare target version is not one fedforge supports',
  'bad-key-source': 'an unknown key-generation method, or a key source that cannot make keys',
  'target-lacks-studies': 'the project uses a feature (studies) that its NVFlare target version lacks',
  'builder-args': 'a builder in project.yml has unknown or invalid arguments',
  'unknown-builder': 'a builder path or name that no registered builder answers to',
  'duplicate-builder': 'the same builder is listed twice',
  'builder-dependencies':
    'a builder needs what no builder before it in the list provides (cert, workspace, ...)',
  interrupted: 'the user pressed Ctrl-C; nothing was written',
  'workspace-locked': 'another provision holds the lock of this workspace',
  'output-unwritable': 'an output folder (workspace or kit) cannot be created',
  'state-corrupt': 'a state file in the workspace (certificates, NVFlare target) is damaged or inconsistent',
  'prod-index-too-high': 'the workspace has used up its prod_NN output folder numbers',
  'cert-identity-changed': 'a participant keeps its name but the project changed its certificate identity',
  'cert-root-mismatch': 'the root CA kept in the workspace is for another project',
  'unsupported-entry': 'a kit holds a symbolic link or special file, which cannot be signed or zipped',
  'disk-full': 'the disk (or quota) is full',
  'read-only-fs': 'the file system is mounted read-only',
  'permission-denied': 'the file system refuses the operation for lack of permission',
  'is-a-folder': 'a folder is in the way where a file is written',
  'not-a-folder': 'a file is in the way where a folder is needed',
  'symlink-refused': 'a path is a symbolic link, which is not followed',
  'path-too-long': 'a path is longer than the file system allows',
  'io-error': 'the file system reported an I/O error',
  'too-many-files': 'the process has too many files open',
  'he-context': 'SEAL cannot load an HE context (damaged, or not made by SEAL)',
  'he-params': 'SEAL refuses the HE parameters (insecure or inconsistent)',
  'he-params-changed': 'the HE parameters changed, but the workspace keeps an HE key made for the old ones',
  'he-state': 'the HE key kept in the workspace cannot be read or does not fit the request',
  'he-reuse': 'the HE context given for reuse is not usable (no secret key, other parameters)',
  'he-blob': 'a SEAL blob in an HE file is damaged or oversized',
  'tenseal-format': 'a file is not a TenSEAL context or CKKS vector',
  'distributed-bad-file': 'a distributed-provisioning request or package file is not valid',
  'distributed-root-mismatch': 'a package was signed under another root than this federation',
  'distributed-foreign-approval': 'a package carries an approval for another request or participant',
  'distributed-wrong-key': 'a package was made for another key than the one that asked for it',
  'distributed-server': 'a distributed request asks for a server certificate, which is made centrally',
  'distributed-no-state': 'the workspace has no root CA to approve a distributed request with',
  'distributed-collision': 'the name of a distributed request already has a certificate',
  'distributed-no-static-builder':
    'project.yml lists no static files builder, so no kit configs to approve with',
  'distributed-kit-name': 'the kit folder of a distributed package has another name than its participant',
  'distributed-verify-failed': 'a kit assembled from a distributed package does not pass verify',
  'not-approved': 'the user did not approve the request; nothing was written',
  'sealed-envelope': 'a sealed envelope (encrypted package part) is damaged or not for this key',
  'recipe-invalid': 'the recipe options are not valid',
  'sim-env-unsupported': 'SimEnv was asked to run a job; fedforge does not simulate',
  'not-a-kit': 'a folder is not the startup kit it should be (for example no fed_admin.json)',
  'admin-kit-invalid': "an admin kit's fed_admin.json is not valid JSON",
  'admin-kit-user': "an admin kit's fed_admin.json names no user, or not the one asked for",
  'admin-kit-cn': "an admin kit's certificate names another user than its fed_admin.json",
  'admin-kit-chain': "an admin kit's certificate is not signed by its root",
  'admin-kit-choice': 'a folder holds no admin kit, or several where one was to be chosen',
  'kits-target-mixed': 'the kits were written for different NVFlare versions',
  'kits-not-he-ready': 'the kits are not a consistent HE federation (keys missing or not shared)',
  'job-dir-occupied': 'the job output folder exists and is not an NVFlare job folder',
  'job-custom-file': 'a file to bundle into a job is not a regular file',
  'python-missing': 'the Python interpreter that runs NVFlare cannot be started (not found, not executable)',
  'python-module-missing': 'the Python interpreter cannot import a module a run needs (nvflare, tenseal)',
  'bad-timeout': 'a time limit of a run is not a positive number of seconds',
  'poc-kits': 'a prod_NN folder does not hold the one server kit a local federation runs',
  'poc-record': "a PoC federation's record of its processes (poc-run/processes.json) is damaged",
  'poc-running': 'kits of the prod_NN run already (an earlier start, or started by hand)',
  'kit-start': "a kit's startup/start.sh failed or could not be run",
  'kit-exited': 'every process of a started kit ended before its clients registered',
  'registration-timeout': 'the clients did not all register with the server within the time limit',
  'clients-timeout': 'the server did not report every expected client to the admin within the time limit',
  'job-start-timeout': 'a submitted job did not start running within the time limit',
  'round-timeout': 'a running job made no progress (no new round, no end) within the time limit',
  'admin-session': 'no admin session could be opened through the admin kit (server down, or another project)',
  'runtime-error': 'NVFlare reported an error while the job was submitted or followed',
  'driver-failed': 'the runtime driver ended without saying why, or stopped answering',
} as const satisfies Record<string, string>

/** A ProvisionError code: one of PROVISION_ERROR_CODES. */
export type ProvisionErrorCode = keyof typeof PROVISION_ERROR_CODES

/** The optional parts of a ProvisionError: hint, cause, exit code (default 2, bad input), problems. */
export interface ProvisionErrorOptions {
  /** One line telling the user what to do about it. */
  hint?: string
  cause?: unknown
  exitCode?: ExitCodeValue
  /** Several problems found at once (for example every problem in a project file). */
  problems?: readonly string[]
}

/**
 * An error the user can fix. The CLI prints its message (and hint) without a stack trace and exits with
 * `exitCode`. Everything that is not a ProvisionError is a bug and is printed with its stack.
 */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError'
  readonly code: ProvisionErrorCode
  readonly hint: string | undefined
  readonly exitCode: ExitCodeValue
  readonly problems: readonly string[]

  constructor(code: ProvisionErrorCode, message: string, options: ProvisionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? ExitCode.badInput
    this.problems = options.problems ?? []
  }
}

/** True when `error` is a ProvisionError (a condition the user can fix), false for a bug. */
export function isProvisionError(error: unknown): error is ProvisionError {
  return error instanceof ProvisionError
}
