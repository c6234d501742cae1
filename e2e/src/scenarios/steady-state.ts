// Throughput and latency through the balancers with nothing broken: the baseline the other scenarios degrade.
import { firstProblems, Load, relayRequest, reverserRequest, summarize } from '../load'
import type { Report } from '../report'
import type { Stack } from '../stack'
import { ms } from '../util'

const DURATION_MS = 5000
const CONCURRENCY = 32

export async function steadyState(stack: Stack, report: Report): Promise<void> {
  report.section(`steady state: ${CONCURRENCY} concurrent clients for ${DURATION_MS / 1000} s per path, no faults`)
  const paths = [
    {
      label: 'public balancer -> app1 -> internal balancer -> app2',
      baseUrl: stack.publicBalancer.url,
      request: relayRequest,
    },
    { label: 'internal balancer -> app2', baseUrl: stack.internalBalancer.url, request: reverserRequest },
  ]
  for (const { label, baseUrl, request } of paths) {
    const load = new Load({
      baseUrl,
      request,
      concurrency: CONCURRENCY,
      maxDurationMs: DURATION_MS,
      maxRequests: 1_000_000,
      timeoutMs: 5000,
    })
    const samples = await load.runFor(DURATION_MS)
    const summary = summarize(samples)
    report.info(
      `${label}: ${summary.requests} requests, ${summary.perSecond.toFixed(0)} req/s, ` +
        `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)}`,
    )
    report.check(
      `no failed request (${label})`,
      summary.failed === 0,
      `${summary.failed} failed`,
      firstProblems(samples),
    )
  }
}
