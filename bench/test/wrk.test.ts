import { afterAll, describe, expect, test } from 'bun:test'
import { parseWrkReport, runWrk, wrkTimeMs } from '../src/wrk'

// wrk 4.1's report with --latency, as printed on the bench's machine.
const report = `Running 5s test @ http://127.0.0.1:21030/get/send/infra
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.52ms    1.34ms  13.46ms   79.00%
    Req/Sec    17.79k     2.20k   21.99k    60.00%
  Latency Distribution
     50%  812.00us
     75%    4.05ms
     90%    5.19ms
     99%    8.29ms
  88535 requests in 5.00s, 18.08MB read
Requests/sec:  17675.69
Transfer/sec:      3.61MB
`

describe('parseWrkReport', () => {
  test('reads requests, duration and the 50th and 99th percentiles in milliseconds', () => {
    expect(parseWrkReport(report)).toEqual({
      requests: 88535,
      seconds: 5,
      p50Ms: 0.812,
      p99Ms: 8.29,
      socketErrors: 0,
      errorStatuses: 0,
    })
  })

  test('adds up the socket errors and counts the error statuses', () => {
    const failing = report.replace(
      'Requests/sec',
      '  Socket errors: connect 1, read 20, write 300, timeout 4000\n  Non-2xx or 3xx responses: 55\nRequests/sec',
    )
    expect(parseWrkReport(failing)).toMatchObject({ socketErrors: 4321, errorStatuses: 55 })
  })

  test('reads a run of a minute or more, which wrk prints in minutes', () => {
    expect(parseWrkReport(report.replace('in 5.00s', 'in 1.50m')).seconds).toBe(90)
  })

  test('refuses a report without the latency distribution (wrk run without --latency)', () => {
    const withoutLatency = report.replace(/ {2}Latency Distribution[\s\S]*?(?= {2}88535)/, '')
    expect(() => parseWrkReport(withoutLatency)).toThrow('--latency')
  })

  test('refuses output that is not a report', () => {
    expect(() => parseWrkReport('unable to connect to 127.0.0.1:1 Connection refused')).toThrow('requests in')
  })
})

describe('wrkTimeMs', () => {
  test.each([
    ['812.00us', 0.812],
    ['1.25ms', 1.25],
    ['1.02s', 1020],
    ['1.00m', 60_000],
    ['0.01h', 36_000],
  ])('%s is %d ms', (text, ms) => {
    expect(wrkTimeMs(text)).toBeCloseTo(ms, 9)
  })

  test('refuses a number without a unit', () => {
    expect(() => wrkTimeMs('12.5')).toThrow('not a time')
  })
})

describe('runWrk against a real server', () => {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    routes: { '/ok': () => new Response('ok'), '/broken': () => new Response('no', { status: 500 }) },
  })
  afterAll(() => server.stop(true))
  const run = (path: string) =>
    runWrk({ url: `http://127.0.0.1:${server.port}${path}`, threads: 1, connections: 4, durationS: 1 })

  test('its report parses: requests served, percentiles in order, nothing failed', async () => {
    const result = parseWrkReport(await run('/ok'))
    expect(result.requests).toBeGreaterThan(0)
    expect(result.seconds).toBeGreaterThan(0.9)
    expect(result.p50Ms).toBeGreaterThan(0)
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
    expect(result.socketErrors + result.errorStatuses).toBe(0)
  })

  test('error answers count as failures', async () => {
    const result = parseWrkReport(await run('/broken'))
    expect(result.errorStatuses).toBe(result.requests)
  })

  test('a failing wrk is an error, with what wrk said', async () => {
    await expect(runWrk({ url: 'not-a-url', threads: 1, connections: 1, durationS: 1 })).rejects.toThrow(
      'wrk not-a-url exited',
    )
  })
})
