// A deploy: every app2 instance, then every app1 instance, is replaced one at a time under steady load, the way
// an ASG instance refresh replaces instances behind the ALBs. Expectation: not one failed request. For
// contrast, one more restart skips the drain and its failures are counted, not asserted.
import { describeFailures, firstProblems, Load, relayRequest, summarize } from '../load'
import type { Report } from '../report'
import { type AppInstance, DEREGISTRATION_DELAY_MS, type Stack } from '../stack'
import { ms, now, sleep } from '../util'

export async function rollingRestart(stack: Stack, report: Report): Promise<void> {
  report.section('rolling restart under load: drain, SIGTERM, replace on the same port, wait for health checks')
  report.info(
    'zero failures here come from draining alone: the balancer stops routing to an instance before it gets ' +
      "SIGTERM (the ALB's deregistration delay) and the app finishes its requests in flight; the balancer never retries.",
  )
  const load = new Load({
    baseUrl: stack.publicBalancer.url,
    request: relayRequest,
    concurrency: 16,
    maxDurationMs: 90_000,
    maxRequests: 2_000_000,
    timeoutMs: 5000,
  })
  await sleep(1000)
  const undrained: string[] = []
  for (const instance of [...stack.app2, ...stack.app1]) {
    const started = now()
    const { drained } = await stack.rollingRestart(instance)
    if (!drained) undrained.push(instance.name)
    report.info(`${instance.name} replaced and back in rotation in ${ms(now() - started)}`)
  }
  await sleep(1000)
  const samples = await load.stop()
  const summary = summarize(samples)
  report.info(
    `${summary.requests} requests during the rollout, p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)}`,
  )
  report.check(
    `every instance finished its requests within the deregistration delay (${DEREGISTRATION_DELAY_MS} ms)`,
    undrained.length === 0,
    undrained.length ? `still busy: ${undrained.join(', ')}` : '',
  )
  report.check(
    'zero failed requests during the rolling restart',
    summary.failed === 0,
    describeFailures(samples),
    firstProblems(samples),
  )
  await restartWithoutDrain(stack, stack.app2[0], report)
}

/** SIGTERM straight away, as if nobody deregistered the target first: what the drain saves. */
async function restartWithoutDrain(stack: Stack, instance: AppInstance, report: Report): Promise<void> {
  const load = new Load({
    baseUrl: stack.publicBalancer.url,
    request: relayRequest,
    concurrency: 16,
    maxDurationMs: 30_000,
    maxRequests: 1_000_000,
    timeoutMs: 5000,
  })
  await sleep(500)
  await instance.process.stop()
  await instance.start()
  await stack.waitInRotation(instance)
  await sleep(500)
  const samples = await load.stop()
  report.info(
    `for contrast, ${instance.name} restarted with SIGTERM but without draining first: ` +
      `${describeFailures(samples)} of ${samples.length} requests (not asserted)`,
  )
}
