import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { networkInterfaces } from 'node:os'
import { MAX_MESSAGE_CHARS, MAX_URL_LENGTH } from '../src/message'
import { freePort, type RunningApp, rawGetRequest, rawHttp, runToExit, startApp, until } from '../src/testing'

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
      host: '0.0.0.0',
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

// An address of this machine other than loopback, if it has one: where the network would reach a service.
const networkAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address
const hasSs = Bun.which('ss') !== null

/** The local address of the socket listening on `port`, as `ss -ltn` shows it (e.g. "127.0.0.1:3999"). */
function listeningAddress(port: string): string | undefined {
  const { stdout } = Bun.spawnSync(['ss', '-Hltn', `sport = :${port}`])
  return stdout.toString().trim().split(/\s+/)[3]
}

async function canConnect(hostname: string, port: string): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname, port: Number(port), socket: { data() {} } })
    socket.end()
    return true
  } catch {
    return false
  }
}

describe('HOST', () => {
  test.skipIf(!hasSs)('by default the service listens on every interface (0.0.0.0)', () => {
    expect(listeningAddress(new URL(echo.url).port)).toBe(`0.0.0.0:${new URL(echo.url).port}`)
  })

  test.skipIf(!hasSs)('HOST=127.0.0.1: the listening socket is bound to loopback only', async () => {
    const local = await start({ HOST: '127.0.0.1' })
    try {
      const { port } = new URL(local.url)
      expect(listeningAddress(port)).toBe(`127.0.0.1:${port}`)
      expect(local.logs.find((line) => line.msg === 'started')).toMatchObject({ host: '127.0.0.1' })
    } finally {
      local.proc.kill('SIGKILL')
    }
  })

  test.skipIf(networkAddress === undefined)(
    `HOST=127.0.0.1 is out of reach from this machine's network address (${networkAddress}), 0.0.0.0 is not`,
    async () => {
      const local = await start({ HOST: '127.0.0.1' })
      try {
        const { port } = new URL(local.url)
        expect(await canConnect('127.0.0.1', port)).toBe(true)
        expect(await canConnect(networkAddress ?? '', port)).toBe(false)
        expect(await canConnect(networkAddress ?? '', new URL(echo.url).port)).toBe(true)
      } finally {
        local.proc.kill('SIGKILL')
      }
    },
  )

  test('--healthcheck asks the address HOST names', async () => {
    const local = await start({ HOST: '127.0.0.1' })
    try {
      const env = { HOST: '127.0.0.1', PORT: new URL(local.url).port }
      expect((await run({ env, args: ['--healthcheck'] })).code).toBe(0)
    } finally {
      local.proc.kill('SIGKILL')
    }
  })
})

// What a client meets at the edges of what the service reads, through Bun's HTTP parser on a real port.
describe('limits, through the HTTP parser', () => {
  // Bun refuses a request whose request line and headers together are longer than this (measured, Bun 1.4.5).
  const BUN_MAX_REQUEST_HEAD = 16 * 1024
  const request = (target: string, headers: Record<string, string> = {}) => rawGetRequest(echo.url, target, headers)
  /** A request to /echo/x, padded with a query string to exactly `size` bytes. */
  const requestOfSize = (size: number) => request(`/echo/x?${'q'.repeat(size - request('/echo/x?').length)}`)

  test(`a request of ${BUN_MAX_REQUEST_HEAD} bytes reaches the service: its target is too long, a JSON 414`, async () => {
    const sent = requestOfSize(BUN_MAX_REQUEST_HEAD)
    expect(sent.length).toBe(BUN_MAX_REQUEST_HEAD)
    const { status, headers, body } = await rawHttp(echo.url, sent)
    expect(status).toBe(414)
    expect(headers['content-type']).toStartWith('application/json')
    expect(JSON.parse(body)).toMatchObject({ error: 'uri_too_long' })
  })

  test('one byte more is refused by Bun before the service runs: 431, an empty body, no log line', async () => {
    const linesBefore = echo.logs.length
    const { status, body } = await rawHttp(echo.url, requestOfSize(BUN_MAX_REQUEST_HEAD + 1))
    expect(status).toBe(431)
    expect(body).toBe('')
    await Bun.sleep(50)
    expect(echo.logs.length).toBe(linesBefore)
  })

  test(`the longest message (${MAX_MESSAGE_CHARS} é, 12,000 bytes encoded) fits with 4,000 bytes of headers`, async () => {
    const message = 'é'.repeat(MAX_MESSAGE_CHARS)
    const target = `/echo/${encodeURIComponent(message)}`
    expect(target.length).toBeLessThanOrEqual(MAX_URL_LENGTH)
    const { status, body } = await rawHttp(echo.url, request(target, { 'x-padding': 'p'.repeat(4000) }))
    expect(status).toBe(200)
    expect(JSON.parse(body)).toEqual({ message })
  })

  test.each([
    ['a space in the target', 505, 'GET /echo/a b HTTP/1.1'],
    ['a control character in the target', 505, 'GET /echo/a\x01b HTTP/1.1'],
    ['an unknown HTTP version', 505, 'GET /echo/a HTTP/9.9'],
    ['an asterisk target', 400, 'GET * HTTP/1.1'],
  ])("a malformed request line (%s) is refused by Bun's parser: %i, an empty body", async (_, code, line) => {
    const { status, body } = await rawHttp(echo.url, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    expect(status).toBe(code)
    expect(body).toBe('')
  })

  test("a short Host header does not confuse the message's path", async () => {
    const { status, body } = await rawHttp(echo.url, 'GET /echo/abc HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    expect(status).toBe(200)
    expect(JSON.parse(body)).toEqual({ message: 'abc' })
  })

  test('405 and HEAD on a real port', async () => {
    const post = await rawHttp(echo.url, request('/echo/abc').replace(/^GET/, 'POST'))
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
    expect(JSON.parse(post.body)).toMatchObject({ error: 'method_not_allowed' })
    const head = await rawHttp(echo.url, request('/echo/abc').replace(/^GET/, 'HEAD'))
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
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
