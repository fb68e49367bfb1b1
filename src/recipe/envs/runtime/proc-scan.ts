import { existsSync, readdirSync, readFileSync } from 'node:fs'

/** One process as /proc shows it. */
export interface ProcInfo {
  pid: number
  ppid: number
  pgid: number
  /** `Z` for a zombie (ended, not yet reaped: it runs nothing). */
  state: string
  /** Start time in clock ticks since boot: with the pid, it names one process even after pid reuse. */
  start: string
  args: string[]
}

/** Whether this system has a /proc we can read (Linux). Elsewhere only process groups are signalled. */
export const hasProc = (): boolean => existsSync('/proc/self/stat')

/** /proc/<pid>, or undefined when it has ended (or there is no /proc). */
export function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid pgrp session ... starttime(22nd field)"; comm may hold spaces and ")"
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return {
      pid,
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      start: fields[19] ?? '',
      args: cmdline.split('\0').filter((a) => a !== ''),
    }
  } catch {
    return undefined
  }
}

/** Every process we can see, except this one. */
export function listProcesses(): ProcInfo[] {
  if (!hasProc()) return []
  const found: ProcInfo[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const info = readProc(Number(entry))
    if (info) found.push(info)
  }
  return found
}

/** Still the same process, and running (not a zombie). */
export function isRunning(p: Pick<ProcInfo, 'pid' | 'start'>): boolean {
  const now = readProc(p.pid)
  return now !== undefined && now.start === p.start && now.state !== 'Z'
}

/** Whether an argument names `dir` or something inside it. */
export const mentions = (args: string[], dir: string): boolean =>
  args.some((a) => a === dir || a.startsWith(`${dir}/`))

/**
 * The processes of a kit in folder `dir`: those whose arguments name the folder (its start scripts and
 * NVFlare's process name their workspace: `-m <kit>`), and their descendants (NVFlare starts each job in a
 * session of its own, as a child of the kit's process; the training script may be a child of that). A
 * recorded process group is not trusted by itself: its id may since have been reused.
 */
export function kitProcesses(dir: string, all: ProcInfo[]): ProcInfo[] {
  const chosen = new Map<number, ProcInfo>()
  for (const p of all) if (mentions(p.args, dir)) chosen.set(p.pid, p)
  let grew = true
  while (grew) {
    grew = false
    for (const p of all) {
      if (!chosen.has(p.pid) && chosen.has(p.ppid)) {
        chosen.set(p.pid, p)
        grew = true
      }
    }
  }
  return [...chosen.values()].filter((p) => p.state !== 'Z').sort((a, b) => a.pid - b.pid)
}
