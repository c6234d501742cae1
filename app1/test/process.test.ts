import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort, type RunningApp, rawGet, rawHttp, runToExit, startApp, until } from '@relay/service-kit/testing'
import { startFakeApp2, startSilentServer } from './fake-app2'

// The real program (`bun run src/index.ts`) on a real port, with app2 played by a fake server. What runService
// does for every service (--healthcheck, the start-up checks, draining on SIGTERM) is tested in
// packages/service-kit.

const APP_DIR = `${import.meta.dir}/..`

const fake = startFakeApp2()
let app1: RunningApp

beforeAll(async () => {
  app1 = await startApp(APP_DIR, { APP2_URL: fake.url, APP2_TIMEOUT_MS: '1000' })
})

afterAll(() => {
  app1.proc.kill('SIGKILL')
  fake.stop()
})

describe('app1 process', () => {
  test('round-trips what a user can type, passing the request id on to app2', async () => {
    const message = 'a/b?c#d%e+f g é 🇩🇪'
    const response = await fetch(`${app1.url}/get/send/${encodeURIComponent(message)}`, {
      headers: { 'x-request-id': 'process-1' },
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { original: string }).original).toBe(message)
    expect(response.headers.get('x-request-id')).toBe('process-1')
    expect(fake.seen.at(-1)).toEqual({
      path: `/api2/send/${encodeURIComponent(message)}`,
      requestId: 'process-1',
      traceId: null,
    })
    await until(() => app1.logs.some((line) => line.requestId === 'process-1'))
    expect(app1.logs).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/get/send/:message', status: 200, requestId: 'process-1' }),
    )
  })

  test('an over-long message is refused with 414 without calling app2', async () => {
    const calls = fake.seen.length
    expect((await fetch(`${app1.url}/get/send/${'a'.repeat(2001)}`)).status).toBe(414)
    expect(fake.seen.length).toBe(calls)
  })
})

describe('the trace id of the load balancer', () => {
  const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1'
  const accessLine = (requestId: string) =>
    app1.logs.find((line) => line.msg === 'request' && line.requestId === requestId)

  test('is logged beside the request id and passed on to app2 unchanged', async () => {
    await fetch(`${app1.url}/get/send/x`, { headers: { 'x-request-id': 'trace-ok', 'x-amzn-trace-id': TRACE } })
    await until(() => accessLine('trace-ok') !== undefined)
    expect(accessLine('trace-ok')).toMatchObject({ traceId: TRACE })
    expect(fake.seen.at(-1)).toMatchObject({ requestId: 'trace-ok', traceId: TRACE })
  })

  test.each([
    ['10 KB long', `${TRACE};${'x'.repeat(10_240)}`],
    ['quotes and spaces', `${TRACE};x="a b"`],
    ['bytes beyond ASCII', `${TRACE};x=\u00e9`],
  ])('one %s is neither logged nor passed on; the request is answered', async (_, trace) => {
    const requestId = `trace-hostile-${fake.seen.length}`
    const { status } = await rawGet(app1.url, '/get/send/x', { 'x-request-id': requestId, 'x-amzn-trace-id': trace })
    expect(status).toBe(200)
    await until(() => accessLine(requestId) !== undefined)
    expect(accessLine(requestId)).not.toHaveProperty('traceId')
    expect(fake.seen.at(-1)).toMatchObject({ requestId, traceId: null })
  })

  test("one with a line break is refused by Bun's HTTP parser (400, empty): the app never sees it", async () => {
    const calls = fake.seen.length
    const linesBefore = app1.logs.length
    const folded = `GET /get/send/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Amzn-Trace-Id: ${TRACE}\r\n injected: 1\r\n\r\n`
    const { status, body } = await rawHttp(app1.url, folded)
    expect([status, body]).toEqual([400, ''])
    await Bun.sleep(100)
    expect(app1.logs.length).toBe(linesBefore)
    expect(fake.seen.length).toBe(calls)
  })
})

describe('app2 outages', () => {
  test('app2 down -> 502; app1 recovers by itself once app2 is back', async () => {
    const port = freePort()
    const app = await startApp(APP_DIR, { APP2_URL: `http://127.0.0.1:${port}` })
    try {
      const down = await fetch(`${app.url}/get/send/x`)
      expect(down.status).toBe(502)
      expect(await down.json()).toMatchObject({ error: 'upstream_unreachable' })
      const back = startFakeApp2(port)
      try {
        const response = await fetch(`${app.url}/get/send/x`)
        expect(response.status).toBe(200)
      } finally {
        back.stop()
      }
    } finally {
      app.proc.kill('SIGKILL')
    }
  })

  test('app2 silent -> 504 within APP2_TIMEOUT_MS', async () => {
    const silent = await startSilentServer()
    const app = await startApp(APP_DIR, { APP2_URL: silent.url, APP2_TIMEOUT_MS: '300' })
    try {
      const startedAt = performance.now()
      const response = await fetch(`${app.url}/get/send/x`)
      expect(response.status).toBe(504)
      expect(performance.now() - startedAt).toBeLessThan(1500)
    } finally {
      app.proc.kill('SIGKILL')
      silent.stop()
    }
  })
})

describe('startup', () => {
  test.each([
    [{}, 'APP2_URL is required'],
    [{ APP2_URL: 'ftp://app2' }, 'APP2_URL must be an http or https URL'],
    [{ APP2_URL: 'http://app2', APP2_TIMEOUT_MS: '0' }, 'APP2_TIMEOUT_MS must be a whole number'],
  ])('%p stops the start: %s', async (env, message) => {
    const { code, stderr } = await runToExit(APP_DIR, { env: { APP2_URL: undefined, ...env } })
    expect(code).toBe(1)
    expect(stderr).toContain(message)
  })

  test('the started line says where app2 is and how long a call may take', () => {
    expect(app1.logs.find((line) => line.msg === 'started')).toMatchObject({
      service: 'app1',
      app2Url: fake.url,
      app2TimeoutMs: 1000,
    })
  })
})
