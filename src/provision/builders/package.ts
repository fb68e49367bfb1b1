import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ProvisionError } from '../../errors.js'
import { type BuilderFactory, defineBuilder, type TypedBuilder } from '../builder.js'
import type { ProvisionContext } from '../context.js'
import { ReadLimit, readFileBounded } from '../fs/read-bounded.js'
import { runLimited } from '../interrupt.js'
import { FileMode, Layout } from '../layout.js'

interface ZipEntry {
  /** Path inside the zip, `/`-separated, relative (starts with the kit name). */
  name: string
  path: string
  dir: boolean
  mode: number
}

/** Every file and folder under `root`, sorted, as zip entries under `prefix/`; refuses symlinks. */
async function listTree(root: string, prefix: string): Promise<ZipEntry[]> {
  const out: ZipEntry[] = []
  for (const name of (await readdir(root)).sort()) {
    const path = join(root, name)
    const st = await lstat(path)
    const rel = `${prefix}/${name}`
    if (st.isDirectory()) {
      out.push({ name: `${rel}/`, path, dir: true, mode: st.mode & 0o7777 })
      out.push(...(await listTree(path, rel)))
    } else if (st.isFile()) {
      out.push({ name: rel, path, dir: false, mode: st.mode & 0o7777 })
    } else {
      throw new ProvisionError('unsupported-entry', `cannot zip ${path}: not a regular file or folder`, {
        hint: 'kits must not contain symbolic links or special files',
      })
    }
  }
  return out
}

/** A kit file to zip: a regular file, not a link (listTree refused those already). */
const KIT_FILE = { what: 'kit file', maxBytes: ReadLimit.heFile, noFollow: true }

/** HE context files: every SEAL blob in them is zstd-compressed. */
const STORED = /\.tenseal$/

/** The zip of one kit folder, in memory (kits are small). Entry times are the run's clock. */
export async function zipKit(kitDir: string, kitName: string, date: Date): Promise<Buffer> {
  const st = await lstat(kitDir)
  const entries = [{ name: `${kitName}/`, path: kitDir, dir: true, mode: st.mode & 0o7777 }]
  entries.push(...(await listTree(kitDir, kitName)))
  const { ZipArchive } = await import('archiver') // loaded only when zips are asked for
  const archive = new ZipArchive({ zlib: { level: 9 } })
  const chunks: Buffer[] = []
  archive.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve())
    archive.on('error', reject)
    archive.on('warning', reject)
  })
  for (const e of entries) {
    const data = e.dir ? Buffer.alloc(0) : readFileBounded(e.path, KIT_FILE)
    const store = STORED.test(e.name) // compressed already: deflating it again costs time and gains nothing
    archive.append(data, { name: e.name, type: e.dir ? 'directory' : 'file', mode: e.mode, date, store })
  }
  await archive.finalize()
  await done
  return Buffer.concat(chunks)
}

async function zipOne(ctx: ProvisionContext, name: string): Promise<void> {
  const zip = await zipKit(ctx.kitDir(name), name, ctx.now())
  // A kit zip holds a private key, so it is as secret as the key.
  const file = `${name}${Layout.zipSuffix}`
  ctx.writeFile(file, zip, FileMode.secret)
  ctx.emit({ type: 'zip-written', name, file, sha256: createHash('sha256').update(zip).digest('hex') })
}

/** Kits zipped at a time: zlib works on libuv's thread pool; each zip is held in memory until written. */
const CONCURRENT_ZIPS = 4

/** `--zip`: one `<name>.zip` per kit beside the kit folders (so it ends in prod_NN/). Phase 90. */
export function createPackageBuilder(): TypedBuilder<'kit-folders', 'zips'> {
  return {
    name: 'zip',
    async build(ctx) {
      const names = ctx.project.participants.map((p) => p.name).filter((n) => existsSync(ctx.kitDir(n)))
      await runLimited(names, CONCURRENT_ZIPS, ctx.signal, (n) => zipOne(ctx, n))
    },
  }
}

/** The id `--zip` adds to a run; a project can also list it. */
export const ZIP_BUILDER_ID = 'zip'

export const zipBuilderFactory: BuilderFactory = defineBuilder({
  id: ZIP_BUILDER_ID,
  nvflarePaths: [],
  // After signing, so that the zips hold signed kits.
  phase: 90,
  description: 'one <kit>.zip per kit in prod_NN, with its SHA-256 in the summary (what --zip adds)',
  requires: ['kit-folders'],
  provides: ['zips'],
  create: () => createPackageBuilder(),
})
