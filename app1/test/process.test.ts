import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort, type RunningApp, runToExit, startApp, until } from '@relay/service-kit/testing'
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
    expect(fake.seen.at(-1)).toEqual({ path: `/api2/send/${encodeURIComponent(message)}`, requestId: 'process-1' })
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
