// Hostile paths sent to app1 through the public balancer and to app2 directly. Neither may answer 5xx (app2 is
// up the whole time, so app1 has no excuse either), crash, hang, or answer an error that is not JSON.
import { type FuzzCase, generateCases, isWellFormedTarget, showTarget } from '../fuzz-cases'
import { type RawResult, rawGet } from '../raw-http'
import type { Report } from '../report'
import type { Stack } from '../stack'
import { answers, mapConcurrently } from '../util'

const CASES = 1200
const CONCURRENCY = 16
/** Above app1's own 2 s timeout towards app2: an answer that takes longer than this is a hang. */
const ANSWER_TIMEOUT_MS = 5000
/**
 * What HTTP parsers (HAProxy's, Bun's) answer to a request-target they refuse before any application sees it:
 * Bun answers 505 when a raw space splits the request line so that the version field is garbage.
 */
const PROTOCOL_REJECTIONS = new Set([400, 414, 431, 505])

interface Target {
  label: string
  routePrefix: string
  portFor: (index: number) => number
}

interface Outcome {
  fuzzCase: FuzzCase
  target: Buffer
  result: RawResult
}

export async function fuzz(stack: Stack, report: Report): Promise<void> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 32)
  report.section(`fuzz: ${CASES} hostile paths each to app1 (through the public balancer) and to app2 (directly)`)
  report.info(`seed ${seed} (replay with FUZZ_SEED=${seed} make resilience)`)
  const cases = generateCases(seed, CASES)
  const app1: Target = {
    label: 'app1 via the public balancer',
    routePrefix: '/get/send/',
    portFor: () => stack.publicBalancer.port,
  }
  const app2: Target = {
    label: 'app2 directly',
    routePrefix: '/api2/send/',
    portFor: (index) => stack.app2[index % stack.app2.length].port,
  }
  const wellFormed = cases.filter((fuzzCase) => isWellFormedTarget(requestTarget(fuzzCase, app2))).length
  report.info(`${cases.length} cases, ${wellFormed} of them well-formed request-targets (an app must answer those)`)
  const app1Outcomes = await send(cases, app1)
  const app2Outcomes = await send(cases, app2)

  for (const [target, outcomes] of [
    [app1, app1Outcomes],
    [app2, app2Outcomes],
  ] as const) {
    report.info(`${target.label}: ${describeStatuses(outcomes)}`)
    const violations = outcomes.flatMap((outcome) => {
      const problem = judge(outcome, target.routePrefix)
      return problem
        ? [
            `${problem} for ${showTarget(outcome.target)} (${outcome.fuzzCase.kind}${outcome.fuzzCase.http10 ? ', HTTP/1.0' : ''})`,
          ]
        : []
    })
    report.check(
      `${target.label}: no 5xx from the app, no hang, every app answer JSON (a malformed request line may instead get the HTTP parser's own 400/414/431/505)`,
      violations.length === 0,
      `${violations.length} violations`,
      violations.slice(0, 10),
    )
  }

  const mismatches = cases.flatMap((fuzzCase, index) => {
    // A whole path names no message: "/swagger/json" is each app's own document.
    if (fuzzCase.wholePath) return []
    const [viaApp1, direct] = [app1Outcomes[index].result, app2Outcomes[index].result]
    if (!('response' in viaApp1) || !('response' in direct)) return []
    if (viaApp1.response.status !== 200 || direct.response.status !== 200) return []
    if (viaApp1.response.body === direct.response.body) return []
    return [
      `${showTarget(fuzzCase.bytes)}: app1 ${viaApp1.response.body.slice(0, 100)} / app2 ${direct.response.body.slice(0, 100)}`,
    ]
  })
  report.check(
    "where both answer 200, app1 returns exactly app2's reversal",
    mismatches.length === 0,
    `${mismatches.length} differ`,
    mismatches.slice(0, 10),
  )

  const dead = stack.deadProcesses()
  const unhealthy: string[] = []
  for (const instance of stack.instances) if (!(await answers(`${instance.url}/health`))) unhealthy.push(instance.name)
  if (!(await answers(`${stack.publicBalancer.url}/get/send/still-alive`)))
    unhealthy.push('the chain through both balancers')
  report.check('after the fuzz every process runs and answers', dead.length === 0 && unhealthy.length === 0, '', [
    ...dead.map((name) => `${name} is not running`),
    ...unhealthy.map((name) => `${name} does not answer`),
  ])
}

function send(cases: FuzzCase[], target: Target): Promise<Outcome[]> {
  return mapConcurrently(
    cases.map((fuzzCase, index) => ({ fuzzCase, index })),
    CONCURRENCY,
    async ({ fuzzCase, index }) => {
      const bytes = requestTarget(fuzzCase, target)
      const result = await rawGet({
        port: target.portFor(index),
        target: bytes,
        http10: fuzzCase.http10,
        timeoutMs: ANSWER_TIMEOUT_MS,
      })
      return { fuzzCase, target: bytes, result }
    },
  )
}

function requestTarget(fuzzCase: FuzzCase, target: Target): Buffer {
  return fuzzCase.wholePath ? fuzzCase.bytes : Buffer.concat([Buffer.from(target.routePrefix), fuzzCase.bytes])
}

/** Why this outcome breaks the rules, or undefined when it is fine. */
function judge({ fuzzCase, target, result }: Outcome, routePrefix: string): string | undefined {
  const mustReachApp = isWellFormedTarget(target)
  if ('noResponse' in result) return mustReachApp ? result.noResponse : undefined
  const { status, body } = result.response
  const json = parseJson(body)
  if (!mustReachApp && PROTOCOL_REJECTIONS.has(status) && !json) return undefined
  if (status >= 500) return `${status} ${JSON.stringify(body.slice(0, 200))}`
  if (status === 200) {
    if (isReversal(json, fuzzCase, routePrefix)) return undefined
    return `200 with an unexpected body: ${JSON.stringify(body.slice(0, 200))}`
  }
  if (typeof json?.error === 'string' && typeof json?.message === 'string') return undefined
  return `${status} with a body that is not JSON { error, message }: ${JSON.stringify(body.slice(0, 200))}`
}

/**
 * A 200 must be a reversal, unless the path can lead elsewhere: a whole path or dot segments may reach the
 * health answer ("/get/send/../../health") or the OpenAPI document ("/swagger/json").
 */
function isReversal(json: Record<string, unknown> | undefined, fuzzCase: FuzzCase, routePrefix: string): boolean {
  if (typeof json?.original === 'string' && typeof json?.processed === 'string') return true
  const mayLeaveRoute =
    fuzzCase.wholePath || /(^|\/)(\.|%2e){1,2}(\/|\?|$)/i.test(routePrefix + fuzzCase.bytes.toString('latin1'))
  return mayLeaveRoute && (json?.status === 'ok' || typeof json?.openapi === 'string')
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body)
    return typeof value === 'object' && value !== null ? value : undefined
  } catch {
    return undefined
  }
}

/** "200: 310, 400: 702, 404: 150, no answer: 38" */
function describeStatuses(outcomes: Outcome[]): string {
  const counts = new Map<string, number>()
  for (const { result } of outcomes) {
    const key = 'response' in result ? String(result.response.status) : 'no answer'
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts.entries()]
    .sort()
    .map(([key, count]) => `${key}: ${count}`)
    .join(', ')
}
