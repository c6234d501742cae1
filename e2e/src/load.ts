// Closed-loop load generator: a fixed number of workers, each sending its next request as soon as the last
// one finished, recording every request (start time, latency, status, and why it failed if it did). Bounded in
// time and count whatever the caller does.
import { now, percentile, sleep } from './util'

export interface Sample {
  /** On the `now()` clock, when the request was sent. */
  startedAt: number
  latencyMs: number
  /** HTTP status, or 0 when no response arrived (connection error, timeout). */
  status: number
  /** Why the request counts as failed; undefined for a correct 200. */
  problem?: string
  /** The body of a non-200 answer (the first 4 KB). */
  errorBody?: string
}

export interface LoadOptions {
  /** Base URL of a balancer. */
  baseUrl: string
  /** Builds request number `n`: its path, and a check of a 200 body returning a problem or undefined. */
  request: (n: number) => { path: string; checkBody: (body: string) => string | undefined }
  concurrency: number
  /** Hard bounds: the load stops by itself after this long or this many requests. */
  maxDurationMs: number
  maxRequests: number
  /** Per-request timeout: a request still unanswered after this counts as failed. */
  timeoutMs: number
}

export class Load {
  readonly samples: Sample[] = []
  private stopping = false
  private sent = 0
  private readonly workers: Promise<void>[]
  private readonly deadline: number

  /** Starts sending at once. */
  constructor(private readonly options: LoadOptions) {
    this.deadline = now() + options.maxDurationMs
    this.workers = Array.from({ length: options.concurrency }, () => this.work())
  }

  private async work(): Promise<void> {
    while (!this.stopping && this.sent < this.options.maxRequests && now() < this.deadline) {
      const n = this.sent++
      this.samples.push(await this.send(n))
    }
  }

  private async send(n: number): Promise<Sample> {
    const { path, checkBody } = this.options.request(n)
    const startedAt = now()
    const sample = (status: number, problem?: string, errorBody?: string): Sample => ({
      startedAt,
      latencyMs: now() - startedAt,
      status,
      problem,
      errorBody,
    })
    try {
      const response = await fetch(this.options.baseUrl + path, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
      const body = await response.text()
      if (response.status !== 200) {
        return sample(response.status, `HTTP ${response.status} ${body.slice(0, 200)}`, body.slice(0, 4096))
      }
      return sample(200, checkBody(body))
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      return sample(0, timedOut ? `no answer within ${this.options.timeoutMs} ms` : `no response: ${error}`)
    }
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<Sample[]> {
    this.stopping = true
    await Promise.all(this.workers)
    return this.samples
  }

  /** Runs until `durationMs` has passed (or a bound is hit), then stops. */
  async runFor(durationMs: number): Promise<Sample[]> {
    await sleep(durationMs)
    return this.stop()
  }
}

/** The chain through both balancers: public -> app1 -> internal -> app2, checking the reversed message. */
export function relayRequest(n: number) {
  const message = `load-${n}`
  return { path: `/get/send/${message}`, checkBody: (body: string) => checkReversed(body, message) }
}

/** app2 alone, through the internal balancer. */
export function reverserRequest(n: number) {
  const message = `load-${n}`
  return { path: `/api2/send/${message}`, checkBody: (body: string) => checkReversed(body, message) }
}

function checkReversed(body: string, message: string): string | undefined {
  const expected = [...message].reverse().join('')
  try {
    const { original, processed } = JSON.parse(body)
    if (original === message && processed === expected) return undefined
  } catch {
    // Falls through to the problem below.
  }
  return `200 with a wrong body for "${message}": ${body.slice(0, 200)}`
}

export interface Summary {
  requests: number
  failed: number
  perSecond: number
  p50: number
  p99: number
  max: number
  /** Failed requests by status ("0" = no response), e.g. { "502": 12 }. */
  failuresByStatus: Record<string, number>
}

export function summarize(samples: Sample[]): Summary {
  const latencies = samples.map((sample) => sample.latencyMs).sort((a, b) => a - b)
  const failures = failuresIn(samples)
  const failuresByStatus: Record<string, number> = {}
  for (const failure of failures) failuresByStatus[failure.status] = (failuresByStatus[failure.status] ?? 0) + 1
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const sample of samples) {
    first = Math.min(first, sample.startedAt)
    last = Math.max(last, sample.startedAt + sample.latencyMs)
  }
  return {
    requests: samples.length,
    failed: failures.length,
    perSecond: samples.length / ((last - first) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    failuresByStatus,
  }
}

export function failuresIn(samples: Sample[]): Sample[] {
  return samples.filter((sample) => sample.problem !== undefined)
}

/** "12 failed (502: 10, 0: 2)" or "0 failed". */
export function describeFailures(samples: Sample[]): string {
  const { failed, failuresByStatus } = summarize(samples)
  if (failed === 0) return '0 failed'
  const byStatus = Object.entries(failuresByStatus).map(
    ([status, count]) => `${status === '0' ? 'no response' : status}: ${count}`,
  )
  return `${failed} failed (${byStatus.join(', ')})`
}

/** The first few distinct problems among the samples, to show what broke. */
export function firstProblems(samples: Sample[], limit = 5): string[] {
  const problems = [...new Set(samples.flatMap((sample) => (sample.problem ? [sample.problem] : [])))]
  return problems.slice(0, limit)
}
