import { type MetricDatum, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch'
import { errorFields, type Logger } from './logger'

// CloudWatch metrics, aggregated in memory and sent about once a minute: a request only bumps counters, so it
// never waits for, nor fails because of, CloudWatch. Memory stays bounded whatever the traffic (fixed latency
// buckets, no list per request). Upstream calls are recorded only by a service that makes them (app1).

export const UPSTREAM_FAILURE_KINDS = [
  'unreachable',
  'timeout',
  'bad_response',
  'upstream_4xx',
  'upstream_5xx',
] as const
export type UpstreamFailureKind = (typeof UPSTREAM_FAILURE_KINDS)[number]

/** What sends the data: a CloudWatchClient in production, a recording fake in tests. */
export interface MetricsSender {
  send(command: PutMetricDataCommand): Promise<unknown>
}

// PutMetricData accepts up to 1000 metrics per call and 150 distinct values per metric.
const MAX_DATA_PER_CALL = 1000
const MAX_VALUES_PER_METRIC = 150

// Latency buckets grow by 25% from 0.1 ms to past 60 s (64 buckets). A sample is counted in the first bucket
// whose bound is >= the sample and reported as that bound: a reported latency is at most 25% high.
const FIRST_BOUND_MS = 0.1
const GROWTH = 1.25
export const LATENCY_BOUNDS_MS: readonly number[] = Array.from(
  { length: 64 },
  (_, i) => Math.round(FIRST_BOUND_MS * GROWTH ** i * 1000) / 1000,
)
if (LATENCY_BOUNDS_MS.length > MAX_VALUES_PER_METRIC) throw new Error('too many latency buckets')
const LOG_GROWTH = Math.log(GROWTH)

export class LatencyHistogram {
  private readonly counts = new Uint32Array(LATENCY_BOUNDS_MS.length)
  private total = 0

  record(ms: number): void {
    const index = ms <= FIRST_BOUND_MS ? 0 : Math.ceil(Math.log(ms / FIRST_BOUND_MS) / LOG_GROWTH - 1e-9)
    const clamped = Math.min(index, LATENCY_BOUNDS_MS.length - 1)
    this.counts[clamped] = (this.counts[clamped] ?? 0) + 1
    this.total++
  }

  get count(): number {
    return this.total
  }

  /** Values and Counts for a MetricDatum, or undefined when nothing was recorded. */
  valuesAndCounts(): { Values: number[]; Counts: number[] } | undefined {
    if (this.total === 0) return undefined
    const Values: number[] = []
    const Counts: number[] = []
    this.counts.forEach((count, i) => {
      if (count === 0) return
      Values.push(LATENCY_BOUNDS_MS[i] ?? 0)
      Counts.push(count)
    })
    return { Values, Counts }
  }
}

/** One aggregation period. */
class Window {
  requests = 0
  clientErrors = 0
  serverErrors = 0
  latency = new LatencyHistogram()
  upstreamLatency = new LatencyHistogram()
  upstreamFailures: Record<UpstreamFailureKind, number> = {
    unreachable: 0,
    timeout: 0,
    bad_response: 0,
    upstream_4xx: 0,
    upstream_5xx: 0,
  }
}

export interface MetricsOptions {
  namespace: string
  service: string
  environment: string
  sender: MetricsSender
  logger: Logger
  intervalMs?: number
}

export class Metrics {
  private window = new Window()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly dimensions: { Name: string; Value: string }[]

  constructor(private readonly options: MetricsOptions) {
    this.dimensions = [
      { Name: 'Service', Value: options.service },
      { Name: 'Environment', Value: options.environment },
    ]
  }

  recordRequest(status: number, durationMs: number): void {
    const w = this.window
    w.requests++
    if (status >= 500) w.serverErrors++
    else if (status >= 400) w.clientErrors++
    w.latency.record(durationMs)
  }

  /** A call to the upstream service (app2), with how it failed if it did. */
  recordUpstream(durationMs: number, failure?: UpstreamFailureKind): void {
    this.window.upstreamLatency.record(durationMs)
    if (failure) this.window.upstreamFailures[failure]++
  }

  /** The data of the period that ends now, and a fresh period. */
  takeData(timestamp = new Date()): MetricDatum[] {
    const w = this.window
    this.window = new Window()
    const datum = (name: string, unit: StandardUnit, extra: Partial<MetricDatum>): MetricDatum => ({
      MetricName: name,
      Dimensions: this.dimensions,
      Timestamp: timestamp,
      Unit: unit,
      ...extra,
    })
    // Counters are sent even when zero, so that alarms see "no errors" rather than "no data".
    const data = [
      datum('Requests', 'Count', { Value: w.requests }),
      datum('Errors4xx', 'Count', { Value: w.clientErrors }),
      datum('Errors5xx', 'Count', { Value: w.serverErrors }),
    ]
    const latency = w.latency.valuesAndCounts()
    if (latency) data.push(datum('Latency', 'Milliseconds', latency))
    const upstreamLatency = w.upstreamLatency.valuesAndCounts()
    if (upstreamLatency) data.push(datum('UpstreamLatency', 'Milliseconds', upstreamLatency))
    for (const kind of UPSTREAM_FAILURE_KINDS) {
      const count = w.upstreamFailures[kind]
      if (count === 0) continue
      data.push(
        datum('UpstreamFailures', 'Count', {
          Value: count,
          Dimensions: [...this.dimensions, { Name: 'Kind', Value: kind }],
        }),
      )
    }
    return data
  }

  /** Sends what was aggregated; logs a failure instead of throwing (the data of that period is dropped). */
  async flush(): Promise<void> {
    const data = this.takeData()
    for (let start = 0; start < data.length; start += MAX_DATA_PER_CALL) {
      const chunk = data.slice(start, start + MAX_DATA_PER_CALL)
      try {
        await this.options.sender.send(
          new PutMetricDataCommand({ Namespace: this.options.namespace, MetricData: chunk }),
        )
      } catch (error) {
        this.options.logger.warn('metrics flush failed', { metrics: chunk.length, ...errorFields(error) })
      }
    }
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.intervalMs ?? 60_000)
    this.timer.unref()
  }

  /** Stops the timer and sends the last period. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.flush()
  }
}
