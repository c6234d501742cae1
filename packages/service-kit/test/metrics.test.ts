import { describe, expect, test } from 'bun:test'
import { LATENCY_BOUNDS_MS, LatencyHistogram, Metrics } from '../src/metrics'
import { fakeSender, memoryLogger } from '../src/testing'

const SENT_AT = new Date('2026-01-01T00:00:00Z')

function metricsWith(fail = false) {
  const { sender, inputs } = fakeSender(fail)
  const { logger, lines } = memoryLogger()
  const metrics = new Metrics({ namespace: 'Relay', service: 'test-service', environment: 'dev', sender, logger })
  return { metrics, inputs, lines }
}

const byName = (data: { MetricName?: string }[]) => Object.fromEntries(data.map((d) => [d.MetricName, d]))

describe('LatencyHistogram', () => {
  test('counts a sample in the first bucket whose bound is >= the sample', () => {
    const histogram = new LatencyHistogram()
    for (const ms of [0.05, 0.1, 1, 1, 1.2, 250, 10 ** 9]) histogram.record(ms)
    const { Values, Counts } = histogram.valuesAndCounts() ?? { Values: [], Counts: [] }
    expect(Values).toEqual([0.1, 1.164, 1.455, 308.149, LATENCY_BOUNDS_MS.at(-1) ?? 0])
    expect(Counts).toEqual([2, 2, 1, 1, 1])
  })

  test('stays within the 150 values PutMetricData accepts per metric, covering at least a minute', () => {
    expect(LATENCY_BOUNDS_MS.length).toBeLessThanOrEqual(150)
    expect(LATENCY_BOUNDS_MS.at(-1)).toBeGreaterThan(60_000)
  })

  test('memory does not grow with traffic: a million samples give at most one value per bucket', () => {
    const histogram = new LatencyHistogram()
    for (let i = 0; i < 1_000_000; i++) histogram.record((i % 5000) / 10)
    expect(histogram.count).toBe(1_000_000)
    expect(histogram.valuesAndCounts()?.Values.length).toBeLessThanOrEqual(LATENCY_BOUNDS_MS.length)
  })
})

describe('Metrics', () => {
  test('sends requests, 4xx, 5xx and latency with Service and Environment dimensions, in one call', async () => {
    const { metrics, inputs } = metricsWith()
    metrics.recordRequest(200, 3)
    metrics.recordRequest(404, 1)
    metrics.recordRequest(400, 1)
    metrics.recordRequest(502, 2000)
    const data = byName(metrics.takeData(SENT_AT))
    expect(data.Requests).toEqual({
      MetricName: 'Requests',
      Dimensions: [
        { Name: 'Service', Value: 'test-service' },
        { Name: 'Environment', Value: 'dev' },
      ],
      Timestamp: SENT_AT,
      Unit: 'Count',
      Value: 4,
    })
    expect(data.Errors4xx?.Value).toBe(2)
    expect(data.Errors5xx?.Value).toBe(1)
    expect(data.Latency).toMatchObject({ Unit: 'Milliseconds', Counts: [2, 1, 1] })
    expect(inputs).toHaveLength(0)
  })

  test('upstream latency and failures by kind (a Kind dimension), only kinds that happened', () => {
    const { metrics } = metricsWith()
    metrics.recordUpstream(5)
    metrics.recordUpstream(2000, 'timeout')
    metrics.recordUpstream(1, 'unreachable')
    metrics.recordUpstream(1, 'unreachable')
    const data = metrics.takeData(SENT_AT)
    expect(byName(data).UpstreamLatency?.Counts).toEqual([2, 1, 1])
    const failures = data.filter((d) => d.MetricName === 'UpstreamFailures')
    expect(failures.map((d) => [d.Dimensions?.at(-1)?.Value, d.Value])).toEqual([
      ['unreachable', 2],
      ['timeout', 1],
    ])
  })

  test('each flush sends one period and starts a new one; counters are sent even when zero', async () => {
    const { metrics, inputs } = metricsWith()
    metrics.recordRequest(200, 1)
    await metrics.flush()
    await metrics.flush()
    expect(inputs).toHaveLength(2)
    expect(inputs[0]?.Namespace).toBe('Relay')
    expect(byName(inputs[0]?.MetricData ?? []).Requests?.Value).toBe(1)
    const quiet = byName(inputs[1]?.MetricData ?? [])
    expect(quiet.Requests?.Value).toBe(0)
    expect(quiet.Latency).toBeUndefined()
  })

  test('a failed send is logged, never thrown', async () => {
    const { metrics, lines } = metricsWith(true)
    metrics.recordRequest(200, 1)
    await metrics.flush()
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'metrics flush failed' }))
  })

  test('stop() sends the last period', async () => {
    const { metrics, inputs } = metricsWith()
    metrics.start()
    metrics.recordRequest(200, 1)
    await metrics.stop()
    expect(inputs).toHaveLength(1)
  })

  test('start() sends about every interval, without a call per request', async () => {
    const { sender, inputs } = fakeSender()
    const { logger } = memoryLogger()
    const metrics = new Metrics({ namespace: 'N', service: 's', environment: 'dev', sender, logger, intervalMs: 20 })
    for (let i = 0; i < 1000; i++) metrics.recordRequest(200, 1)
    metrics.start()
    const deadline = performance.now() + 2000
    while (inputs.length === 0 && performance.now() < deadline) await Bun.sleep(5)
    await metrics.stop()
    expect(byName(inputs[0]?.MetricData ?? []).Requests?.Value).toBe(1000)
  })
})
