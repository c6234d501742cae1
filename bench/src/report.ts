// What the benchmark prints: the setup before the load, the table and the verdicts after it.
import type { Machine } from './proc'
import { percentOf, roundByRound, TARGETS, type Totals, verdict } from './results'
import { BASELINE_CHAIN, CHAIN, MESSAGE, SCENARIOS, WORK_CHAIN } from './scenarios'
import type { Server } from './services'
import type { Settings } from './settings'

export function setupLines(settings: Settings, machine: Machine, loadBefore: string): string[] {
  const { threads, connections, warmupS, rounds, roundS, logLevel, metricsNamespace } = settings
  return [
    `machine: ${machine.cores} CPU cores (${machine.cpuModel}), shared by wrk and the services; Linux ` +
      `${machine.kernel}, Bun ${Bun.version}; load average before: ${loadBefore}`,
    `wrk: ${threads} thread(s), ${connections} connections, GET .../send/${MESSAGE}; per scenario ${warmupS} s ` +
      `warm-up, then ${rounds} round(s) of ${roundS} s taking turns with the other scenarios`,
    `real apps: LOG_LEVEL=${logLevel}, METRICS_NAMESPACE=${metricsNamespace || '(unset: metrics off)'}`,
  ]
}

export interface Outcome {
  settings: Settings
  machine: Machine
  totals: Map<string, Totals>
  peakRssMb: Map<Server, number>
  /** Bytes each access log took before it was cut to its last lines. */
  accessLogBytes: Map<Server, number>
  keptLogLines: number
  runDir: string
  /** What the CloudWatch stand-in says it received. */
  metricsReceived: string
  loadBefore: string
  loadAfter: string
}

export function summaryLines(outcome: Outcome): string[] {
  const { settings } = outcome
  const totalsOf = (scenario: string) => outcome.totals.get(scenario) as Totals
  const [chain, baselineChain, workChain] = [CHAIN, BASELINE_CHAIN, WORK_CHAIN].map(totalsOf)
  const rounds = roundByRound(chain, baselineChain)
  const { throughputPercent, throughputMet, p99Met } = verdict(chain, baselineChain)
  const [chainCpu, baselineCpu, workCpu] = [chain, baselineChain, workChain].map((totals) =>
    Math.round(totals.cpuUsPerRequest),
  )
  const signed = (value: number) => (value < 0 ? `${value}` : `+${value}`)
  const logs = outcome.accessLogBytes
  const mb = (server: Server) => megabytes(logs.get(server) ?? 0)
  return [
    '',
    // CPU us/req barely depends on what else runs on the machine, unlike req/s: compare it on a busy machine.
    row(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU us/req', 'failures']),
    ...SCENARIOS.map((scenario) => {
      const totals = totalsOf(scenario.name)
      return row([
        scenario.title,
        totals.perSecond.toFixed(0),
        totals.p50Ms.toFixed(2),
        totals.p99Ms.toFixed(2),
        totals.cpuUsPerRequest.toFixed(0),
        `${totals.failures}`,
      ])
    }),
    '(p50 and p99: the highest of the rounds; CPU: user + system time of the server processes per request)',
    '',
    row(['server process', 'peak RSS']),
    ...[...outcome.peakRssMb].map(([server, peak]) => row([server, `${peak.toFixed(0)} MB`])),
    '',
    `access logs written: app1 ${mb('app1')}, app2 ${mb('app2')}, baseline+work app1 ${mb('baseline-work-app1')}, ` +
      `app2 ${mb('baseline-work-app2')} (the last ${outcome.keptLogLines} lines of each kept in ${outcome.runDir})`,
    `the CloudWatch stand-in received ${outcome.metricsReceived}`,
    `load average before: ${outcome.loadBefore}; after: ${outcome.loadAfter} (the run itself adds about 2; on ` +
      `${outcome.machine.cores} cores, a load before the run above about 1 means other work competed with wrk ` +
      'and the services and lowered req/s)',
    // Round by round, the chain and the baseline ran seconds apart: a drift in the machine's speed during the
    // run shows as spread here instead of skewing the total.
    `chain throughput round by round: ${rounds.percents.map(percent).join(', ')} of the plain baseline chain ` +
      `in the same round (median ${percent(rounds.median)})`,
    `chain CPU per request: ${chainCpu} us, baseline chain ${baselineCpu} us: ${signed(chainCpu - baselineCpu)} us, ` +
      `of which the production work itself (baseline+work ${workCpu} us) ${signed(workCpu - baselineCpu)} us and ` +
      `Elysia plus the code of the apps ${signed(chainCpu - workCpu)} us`,
    // The target compares with the plain baseline; the baseline+work reference only explains the gap.
    `chain throughput: ${percent(percentOf(chain.perSecond, workChain.perSecond))} of baseline+work (for reference only)`,
    `chain throughput: ${percent(throughputPercent)} of the plain baseline chain ` +
      `(target >= ${TARGETS.throughputPercent}%): ${throughputMet ? 'met' : 'MISSED'}`,
    `chain p99 at ${settings.connections} connections: ${chain.p99Ms.toFixed(2)} ms ` +
      `(target < ${TARGETS.p99Ms} ms): ${p99Met ? 'met' : 'MISSED'}`,
  ]
}

/** A table row: the first column left-aligned, the others right-aligned. */
function row([first, ...rest]: string[]): string {
  return first.padEnd(28) + rest.map((cell) => cell.padStart(11)).join('')
}

const percent = (value: number) => `${value.toFixed(1)}%`

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024
  return `${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MB`
}
