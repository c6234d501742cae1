// An instance dies without warning (kill -9 of one app2). Requests fail until the internal balancer's health
// checks take it out of rotation; after that, none may fail. Then it comes back, also without a failure.
import { describeFailures, failuresIn, firstProblems, Load, relayRequest } from '../load'
import type { Report } from '../report'
import type { Stack } from '../stack'
import { ms, now, sleep } from '../util'

const AFTER_REMOVAL_MS = 3000

export async function killInstance(stack: Stack, report: Report): Promise<void> {
  const victim = stack.app2[0]
  report.section(`kill -9 of ${victim.name} under load`)
  const load = new Load({
    baseUrl: stack.publicBalancer.url,
    request: relayRequest,
    concurrency: 16,
    maxDurationMs: 60_000,
    maxRequests: 2_000_000,
    timeoutMs: 5000,
  })
  await sleep(1000)

  const killedAt = now()
  victim.process.signalGroup('SIGKILL')
  await stack.internalBalancer.waitStatus(victim.name, 'DOWN', 15_000)
  const removedAt = now()
  await sleep(AFTER_REMOVAL_MS)
  const returnStartedAt = now()
  await stack.replace(victim)
  const backAt = now()
  await sleep(1000)
  const samples = await load.stop()

  const beforeRemoval = samples.filter((sample) => sample.startedAt < removedAt)
  const afterRemoval = samples.filter((sample) => sample.startedAt >= removedAt)
  const duringReturn = samples.filter((sample) => sample.startedAt >= returnStartedAt)
  report.info(`health checks took ${victim.name} out of rotation ${ms(removedAt - killedAt)} after the kill`)
  report.info(
    `until then: ${describeFailures(beforeRemoval)} of ${beforeRemoval.length} requests ` +
      '(an ALB would fail them too: it does not retry, and with a 10 s interval its window is ~10x longer)',
  )
  report.info(`${victim.name} restarted and back in rotation ${ms(backAt - returnStartedAt)} after its start`)
  report.check(
    `zero failed requests once ${victim.name} was out of rotation, including its return`,
    afterRemoval.length > 0 && failuresIn(afterRemoval).length === 0,
    `${describeFailures(afterRemoval)} of ${afterRemoval.length}; ${describeFailures(duringReturn)} during the return`,
    firstProblems(afterRemoval),
  )
}
