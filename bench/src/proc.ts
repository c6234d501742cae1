// What the benchmark reads from Linux's /proc: the process tree (to find the servers), their CPU time and peak
// memory, the load average and what the machine is.
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, release } from 'node:os'

export interface ProcessStat {
  pid: number
  parentPid: number
  /** User plus system CPU time so far, in clock ticks (see clockTicksPerSecond). */
  cpuTicks: number
}

/** Parses /proc/<pid>/stat. The command name (in parentheses) may hold spaces and parentheses itself. */
export function parseStat(stat: string): ProcessStat {
  // After the name come state, ppid, ... and, 12th and 13th, utime and stime (fields 14 and 15 of proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {
    pid: Number.parseInt(stat, 10),
    parentPid: Number(fields[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  }
}

function statOf(pid: number): ProcessStat {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
}

/** The process doing the work under `pid`: for `bun run start`, the server that the wrapper started. */
export function serverPid(pid: number): number {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        return [statOf(Number(name))]
      } catch {
        return [] // ended meanwhile
      }
    })
  let server = pid
  for (let child = childOf(server); child; child = childOf(server)) server = child.pid
  return server

  function childOf(parent: number): ProcessStat | undefined {
    return processes.find((candidate) => candidate.parentPid === parent)
  }
}

/** CPU time the processes have used so far, in clock ticks; throws when one of them is gone. */
export function cpuTicks(pids: number[]): number {
  return pids.reduce((total, pid) => total + statOf(pid).cpuTicks, 0)
}

/** Clock ticks per second of the CPU times in /proc (USER_HZ, 100 on common Linux builds). */
export function clockTicksPerSecond(): number {
  const answer = Bun.spawnSync(['getconf', 'CLK_TCK']).stdout.toString().trim()
  const ticks = Number(answer)
  if (!(ticks > 0)) throw new Error(`getconf CLK_TCK answered "${answer}"`)
  return ticks
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!kb) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(kb[1]) / 1024
}

/** The 1, 5 and 15 minute load averages, e.g. "1.29 1.25 1.15". */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

export interface Machine {
  cores: number
  cpuModel: string
  kernel: string
}

export function machine(): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
  return { cores: availableParallelism(), cpuModel: model?.[1] ?? 'unknown CPU', kernel: release() }
}
