// Every app2 instance down at once, two ways: crashed (nothing listens) and frozen (SIGSTOP: connections are
// accepted, nothing answers). app1 must fail fast with 502 or 504 as JSON, never hang past its own timeout,
// and serve 200s again by itself once app2 is back, with nobody touching the balancers.
import { describeFailures, failuresIn, firstProblems, Load, relayRequest, type Sample } from '../load'
import type { Report } from '../report'
import type { Stack } from '../stack'
import { ms, now, sleep, waitFor } from '../util'

/** Long enough for requests sent after the break to be answered before app2 returns, even when frozen. */
const OUTAGE_MS = 5000
/** app1's APP2_TIMEOUT_MS (the stack passes the environment through) and the slack allowed on top of it. */
const APP2_TIMEOUT_MS = Number(process.env.APP2_TIMEOUT_MS ?? 2000)
const LATENCY_MARGIN_MS = 1000
const RECOVERY_LIMIT_MS = 10_000

export async function app2Outage(stack: Stack, report: Report): Promise<void> {
  await outage(stack, report, {
    label: 'crashed (kill -9)',
    breakApp2: () => {
      for (const instance of stack.app2) instance.process.signalGroup('SIGKILL')
    },
    // Started like any new instance: the balancer's health checks alone bring them back into rotation.
    restoreApp2: async () => {
      await Promise.all(stack.app2.map((instance) => instance.start()))
    },
  })
  await outage(stack, report, {
    label: 'frozen (SIGSTOP)',
    breakApp2: () => {
      for (const instance of stack.app2) instance.process.signalGroup('SIGSTOP')
    },
    restoreApp2: async () => {
      for (const instance of stack.app2) instance.process.signalGroup('SIGCONT')
    },
  })
}

interface Outage {
  label: string
  breakApp2: () => void
  restoreApp2: () => Promise<void>
}

async function outage(stack: Stack, report: Report, { label, breakApp2, restoreApp2 }: Outage): Promise<void> {
  report.section(`every app2 instance ${label} for ${OUTAGE_MS / 1000} s under load`)
  const load = new Load({
    baseUrl: stack.publicBalancer.url,
    request: relayRequest,
    concurrency: 8,
    maxDurationMs: 60_000,
    maxRequests: 1_000_000,
    timeoutMs: 10_000,
  })
  await sleep(500)
  breakApp2()
  const brokenAt = now()
  await sleep(OUTAGE_MS)
  const restoredAt = now()
  await restoreApp2()
  const firstOk = () => load.samples.find((sample) => sample.startedAt >= restoredAt && sample.status === 200)
  const recovered = await waitFor(
    'a 200 through the public balancer',
    () => firstOk() !== undefined,
    RECOVERY_LIMIT_MS + 5000,
  ).then(
    () => true,
    () => false,
  )
  await stack.waitAllInRotation()
  await sleep(1000)
  const samples = await load.stop()

  // Requests sent while app2 was down. Those still waiting when it came back may get a 200.
  const sentDuringOutage = samples.filter((sample) => sample.startedAt >= brokenAt && sample.startedAt < restoredAt)
  const answeredDuringOutage = sentDuringOutage.filter((sample) => endOf(sample) <= restoredAt)
  const unexpected = sentDuringOutage.filter(
    (sample) =>
      !(sample.status === 502 || sample.status === 504 || (sample.status === 200 && endOf(sample) > restoredAt)),
  )
  const statuses = countBy(sentDuringOutage, (sample) => String(sample.status))
  // Every request of the scenario, including those still waiting on a frozen app2 when it was thawed.
  const slowest = samples.reduce((max, sample) => Math.max(max, sample.latencyMs), 0)
  const notJson = sentDuringOutage.filter((sample) => sample.status !== 200 && !isErrorJson(sample))
  report.info(
    `${sentDuringOutage.length} requests sent during the outage: ${Object.entries(statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}`,
  )
  report.check(
    'app1 answers 502 or 504 while app2 is down (a 200 only once app2 is back)',
    answeredDuringOutage.length > 0 && unexpected.length === 0,
    `${answeredDuringOutage.length} answered during the outage, ${unexpected.length} unexpected`,
    firstProblems(unexpected),
  )
  report.check(
    `no request waited longer than APP2_TIMEOUT_MS + ${LATENCY_MARGIN_MS} ms (${APP2_TIMEOUT_MS + LATENCY_MARGIN_MS} ms)`,
    slowest <= APP2_TIMEOUT_MS + LATENCY_MARGIN_MS,
    `slowest ${ms(slowest)}`,
  )
  report.check(
    'every error body is JSON { error, message }',
    notJson.length === 0,
    `${notJson.length} not`,
    notJson.slice(0, 5).map((sample) => sample.problem ?? ''),
  )
  // When the first client got its 200 back. Requests sent after that went through the balancers after a
  // server was back in rotation; requests sent a moment before may still have found none.
  const recoveredAt = recovered ? endOf(firstOk() as Sample) : Number.NaN
  report.check(
    `200s resume by themselves within ${RECOVERY_LIMIT_MS / 1000} s of app2 being back`,
    recovered && recoveredAt - restoredAt <= RECOVERY_LIMIT_MS,
    recovered ? `first 200 after ${ms(recoveredAt - restoredAt)}` : 'no 200 at all',
  )
  const afterRecovery = samples.filter((sample) => sample.startedAt > recoveredAt)
  report.check(
    'no failed request once the first 200 arrived',
    recovered && failuresIn(afterRecovery).length === 0,
    `${describeFailures(afterRecovery)} of ${afterRecovery.length}`,
    firstProblems(afterRecovery),
  )
}

const endOf = (sample: Sample) => sample.startedAt + sample.latencyMs

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}

function isErrorJson(sample: Sample): boolean {
  try {
    const parsed = JSON.parse(sample.errorBody ?? '')
    return typeof parsed.error === 'string' && typeof parsed.message === 'string'
  } catch {
    return false
  }
}
