import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort, type RunningApp, runToExit, startApp, until } from '../src/testing'

// runService as a real program (test/fixtures/main.ts: the echo service) on a real port.

const KIT_DIR = `${import.meta.dir}/..`
const ENTRY = 'test/fixtures/main.ts'
const start = (env: Record<string, string> = {}) => startApp(KIT_DIR, env, ENTRY)
const run = (options: { env?: Record<string, string>; args?: string[] }) =>
  runToExit(KIT_DIR, { ...options, entry: ENTRY })

let echo: RunningApp

beforeAll(async () => {
  echo = await start({ SLOW_MS: '300' })
})

afterAll(() => {
  echo.proc.kill('SIGKILL')
})

describe('start', () => {
  test('logs `started` with the port, the configuration and what the service adds', () => {
    expect(echo.logs).toContainEqual({
      time: expect.any(String),
      level: 'info',
      service: 'echo',
      msg: 'started',
      port: Number(new URL(echo.url).port),
      environment: 'local',
      logLevel: 'info',
      metrics: 'off',
      slowMs: 300,
    })
  })

  test('answers over HTTP and logs one JSON line per request', async () => {
    const response = await fetch(`${echo.url}/echo/${encodeURIComponent('a/b é')}`, {
      headers: { 'x-request-id': 'run-1' },
    })
    expect(await response.json()).toEqual({ message: 'a/b é' })
    await until(() => echo.logs.some((line) => line.requestId === 'run-1'))
    expect(echo.logs).toContainEqual(
      expect.objectContaining({ msg: 'request', service: 'echo', route: '/echo/:message', status: 200 }),
    )
  })

  test('--healthcheck exits 0 while the server is up, 1 when nothing listens', async () => {
    expect((await run({ env: { PORT: new URL(echo.url).port }, args: ['--healthcheck'] })).code).toBe(0)
    expect((await run({ env: { PORT: String(freePort()) }, args: ['--healthcheck'] })).code).toBe(1)
  })

  test.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 1 to 65535, got "eighty"'],
    [{ SLOW_MS: 'soon' }, 'SLOW_MS must be a whole number from 1 to 10000, got "soon"'],
  ])('a bad variable (%p) stops the start: exit 1 and one JSON line on stderr', async (env, problem) => {
    const { code, stdout, stderr } = await run({ env })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(
      stderr
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ level: 'error', service: 'echo', msg: `invalid configuration: ${problem}` }])
  })

  test('the port is not shared: a second process on the same port fails to start', async () => {
    const { code } = await run({ env: { PORT: new URL(echo.url).port } })
    expect(code).not.toBe(0)
    expect((await fetch(`${echo.url}/health`)).status).toBe(200)
  })
})

describe('shutdown', () => {
  test('SIGTERM: exits 0 promptly even with an idle keep-alive connection open, logging the shutdown', async () => {
    const app = await start()
    // a pooled keep-alive connection stays open after this request
    expect((await fetch(`${app.url}/health`)).status).toBe(200)
    const sentAt = performance.now()
    app.proc.kill('SIGTERM')
    expect(await app.exited).toBe(0)
    expect(performance.now() - sentAt).toBeLessThan(5000)
    expect(app.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['started', 'shutting down', 'stopped']))
  })

  test('SIGTERM: a request in flight still gets its answer, then the process exits 0', async () => {
    const app = await start({ SLOW_MS: '1000' })
    try {
      const inFlight = fetch(`${app.url}/slow`)
      await until(() => app.logs.some((line) => line.msg === 'slow request started'))
      app.proc.kill('SIGTERM')
      await until(() => app.logs.some((line) => line.msg === 'shutting down'))
      const response = await inFlight
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ done: true })
      expect(await app.exited).toBe(0)
      expect(app.logs.at(-1)).toMatchObject({ msg: 'stopped', exitCode: 0 })
    } finally {
      app.proc.kill('SIGKILL')
    }
  })

  test('with METRICS_NAMESPACE, metrics go to CloudWatch with the service as dimension, the last on SIGTERM', async () => {
    const received: { target: string | null; body: PutMetricDataInput }[] = []
    const cloudWatch = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      async fetch(request) {
        received.push({
          target: request.headers.get('x-amz-target'),
          body: (await request.json()) as PutMetricDataInput,
        })
        return new Response('{}', { headers: { 'content-type': 'application/x-amz-json-1.0' } })
      },
    })
    const app = await start({
      METRICS_NAMESPACE: 'KitTest',
      ENVIRONMENT: 'dev',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${cloudWatch.port}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    })
    try {
      expect(app.logs.find((line) => line.msg === 'started')).toMatchObject({ metrics: 'KitTest', environment: 'dev' })
      await fetch(`${app.url}/echo/x`)
      app.proc.kill('SIGTERM')
      expect(await app.exited).toBe(0)
      expect(received).toHaveLength(1)
      expect(received[0]?.target).toEndWith('.PutMetricData')
      const { Namespace, MetricData = [] } = received[0]?.body ?? {}
      expect(Namespace).toBe('KitTest')
      expect(MetricData.find((datum) => datum.MetricName === 'Requests')).toMatchObject({
        Value: 1,
        Dimensions: [
          { Name: 'Service', Value: 'echo' },
          { Name: 'Environment', Value: 'dev' },
        ],
      })
    } finally {
      app.proc.kill('SIGKILL')
      cloudWatch.stop(true)
    }
  })
})

interface PutMetricDataInput {
  Namespace?: string
  MetricData?: { MetricName: string; Value?: number; Dimensions?: { Name: string; Value: string }[] }[]
}
