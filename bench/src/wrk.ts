// wrk, the load generator, and what its report says. wrk prints times with units it picks itself (812.00us,
// 1.25ms, 1.02s, 1.00m); --latency adds the percentiles.

export interface WrkRun {
  url: string
  threads: number
  connections: number
  durationS: number
}

/** Runs wrk with --latency and returns its report; throws when wrk fails. */
export async function runWrk({ url, threads, connections, durationS }: WrkRun): Promise<string> {
  const wrk = Bun.spawn(
    [
      'wrk',
      '--threads',
      `${threads}`,
      '--connections',
      `${connections}`,
      '--duration',
      `${durationS}s`,
      '--latency',
      url,
    ],
    { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
  )
  const [report, errors, exitCode] = await Promise.all([
    new Response(wrk.stdout).text(),
    new Response(wrk.stderr).text(),
    wrk.exited,
  ])
  if (exitCode !== 0) throw new Error(`wrk ${url} exited with ${exitCode}: ${(errors || report).trim()}`)
  return report
}

export interface WrkReport {
  requests: number
  seconds: number
  p50Ms: number
  p99Ms: number
  /** Connect, read, write and timeout errors. */
  socketErrors: number
  /** Answers with a status above 399 (wrk calls them "Non-2xx or 3xx responses"). */
  errorStatuses: number
}

export function parseWrkReport(report: string): WrkReport {
  const summary = /^\s*(\d+) requests in ([\d.]+[a-z]+),/m.exec(report)
  if (!summary) throw new Error(`no "N requests in T" line in the wrk report:\n${report}`)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report)
  const errorStatuses = /Non-2xx or 3xx responses: (\d+)/.exec(report)
  return {
    requests: Number(summary[1]),
    seconds: wrkTimeMs(summary[2]) / 1000,
    p50Ms: wrkTimeMs(latencyPercentile(report, 50)),
    p99Ms: wrkTimeMs(latencyPercentile(report, 99)),
    socketErrors: socketErrors ? socketErrors.slice(1).reduce((total, count) => total + Number(count), 0) : 0,
    errorStatuses: errorStatuses ? Number(errorStatuses[1]) : 0,
  }
}

/** The time on a line of wrk's "Latency Distribution", e.g. "     99%    8.29ms". */
function latencyPercentile(report: string, percent: number): string {
  const line = new RegExp(`^\\s*${percent}%\\s+(\\S+)\\s*$`, 'm').exec(report)
  if (!line) throw new Error(`no ${percent}% latency in the wrk report (was it run with --latency?):\n${report}`)
  return line[1]
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds from a time as wrk prints it: 812.00us, 1.25ms, 1.02s, 1.00m. */
export function wrkTimeMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text)
  if (!match) throw new Error(`not a time as wrk prints it: "${text}"`)
  return Number(match[1]) * MS_PER_UNIT[match[2]]
}
