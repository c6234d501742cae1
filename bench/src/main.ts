// `make bench`: throughput, latency, CPU time per request and peak memory of app2 and the app1->app2 chain, next
// to the same job done in plain Bun (bench/README.md says what is measured and how to read it).
// Usage: bun src/main.ts <run dir>. Exits non-zero only when something failed to run; missed targets are reported.
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { killAllProcessGroups, recordProcessGroupsIn } from '../../e2e/src/process'
import { lastLines } from '../../e2e/src/util'
import { clockTicksPerSecond, cpuTicks, loadAverage, machine, peakRssMb } from './proc'
import { type Outcome, setupLines, summaryLines } from './report'
import { type Round, totalsOf } from './results'
import { EXPECTED_BODY_PART, SCENARIOS, type Scenario } from './scenarios'
import { SERVERS, type Server, Services } from './services'
import { readSettings, type Settings } from './settings'
import { parseWrkReport, runWrk } from './wrk'

/** The access logs of a run take hundreds of MB: their size is reported, and only their last lines kept. */
const KEPT_LOG_LINES = 1000
const ACCESS_LOGS: Server[] = ['app1', 'app2', 'baseline-work-app1', 'baseline-work-app2']

const runDir = process.argv[2]
if (!runDir) {
  console.error('usage: bun src/main.ts <run dir>')
  process.exit(2)
}

try {
  const settings = readSettings(process.env)
  mkdirSync(runDir, { recursive: true })
  recordProcessGroupsIn(join(runDir, 'process-groups'))
  process.on('exit', killAllProcessGroups)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))
  const services = await Services.create(settings, runDir)
  try {
    await services.start()
    await checkAnswers(services)
    await bench(settings, services)
  } finally {
    await services.stopAll()
  }
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
}

async function bench(settings: Settings, services: Services): Promise<void> {
  const host = machine()
  const loadBefore = loadAverage()
  for (const line of setupLines(settings, host, loadBefore)) console.log(line)
  const rounds = await measure(settings, services)
  const peakRss = new Map(SERVERS.map((server) => [server, peakRssMb(services.serverPid(server))]))
  const loadAfter = loadAverage()

  // Stopped, the apps send the metrics they aggregated last.
  await services.stop(['app1', 'app2'])
  const metricsReceived = await fetch(services.url('fake-cloudwatch', '/stats'), { signal: AbortSignal.timeout(5000) })
    .then((response) => response.text())
    .catch(() => 'unavailable')

  const accessLogBytes = new Map(ACCESS_LOGS.map((server) => [server, statSync(services.logPath(server)).size]))
  for (const server of ACCESS_LOGS) {
    const path = services.logPath(server)
    writeFileSync(
      path,
      lastLines(path, KEPT_LOG_LINES)
        .map((line) => `${line}\n`)
        .join(''),
    )
  }

  const ticksPerSecond = clockTicksPerSecond()
  const outcome: Outcome = {
    settings,
    machine: host,
    totals: new Map(SCENARIOS.map(({ name }) => [name, totalsOf(rounds.get(name) ?? [], ticksPerSecond)])),
    peakRssMb: peakRss,
    accessLogBytes,
    keptLogLines: KEPT_LOG_LINES,
    runDir,
    metricsReceived,
    loadBefore,
    loadAfter,
  }
  for (const line of summaryLines(outcome)) console.log(line)
}

/** Measuring a broken endpoint would only measure how fast it fails. */
async function checkAnswers(services: Services): Promise<void> {
  for (const scenario of SCENARIOS) {
    const url = urlOf(services, scenario)
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
    const body = await response.text()
    if (!response.ok || !body.includes(EXPECTED_BODY_PART)) {
      throw new Error(`${url} answered ${response.status} ${body}; expected a 200 containing ${EXPECTED_BODY_PART}`)
    }
  }
}

/**
 * A warm-up per scenario, then the rounds: in each, every scenario in turn, so that a change in the machine's
 * load hits them alike. wrk's reports are kept in the run dir, one per scenario and round.
 */
async function measure(settings: Settings, services: Services): Promise<Map<string, Round[]>> {
  const { threads, connections } = settings
  const load = (scenario: Scenario, durationS: number) =>
    runWrk({ url: urlOf(services, scenario), threads, connections, durationS })
  for (const scenario of SCENARIOS) {
    console.log(`  warming up ${scenario.title} ...`)
    await load(scenario, settings.warmupS)
  }
  const rounds = new Map<string, Round[]>(SCENARIOS.map(({ name }) => [name, []]))
  for (let round = 1; round <= settings.rounds; round++) {
    const load1m = loadAverage().split(' ')[0]
    console.log(
      `  round ${round} of ${settings.rounds}: each scenario for ${settings.roundS} s (load average ${load1m})`,
    )
    for (const scenario of SCENARIOS) {
      const pids = scenario.servers.map((server) => services.serverPid(server))
      const ticksBefore = cpuTicks(pids)
      const report = await load(scenario, settings.roundS)
      const ticks = cpuTicks(pids) - ticksBefore
      writeFileSync(join(runDir, `wrk-${scenario.name}-${round}.txt`), report)
      rounds.get(scenario.name)?.push({ ...parseWrkReport(report), cpuTicks: ticks })
    }
  }
  return rounds
}

function urlOf(services: Services, scenario: Scenario): string {
  return services.url(scenario.servers[0], scenario.path)
}
