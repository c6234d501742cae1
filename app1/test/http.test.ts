import { afterAll, describe, expect, test } from 'bun:test'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS, MAX_URL_LENGTH, Metrics } from '@relay/service-kit'
import { expectErrorBody, fakeSender, freePort, memoryLogger } from '@relay/service-kit/testing'
import { createApp } from '../src/app'
import { startFakeApp2, startSilentServer } from './fake-app2'

// app1 through app.handle, with app2 played by a fake server on a real port.

interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, { parameters: unknown[]; responses: Record<string, unknown> }>>
}

const fake = startFakeApp2()
const silent = await startSilentServer()
afterAll(() => {
  fake.stop()
  silent.stop()
})

const { logger } = memoryLogger('warn')
const { sender, inputs } = fakeSender()
const metrics = new Metrics({ namespace: 'Test', service: 'app1', environment: 'local', sender, logger })
const app = createApp({ logger, metrics, app2Url: fake.url, app2TimeoutMs: 1000 })

const get = (path: string, headers: Record<string, string> = {}, target = app) =>
  target.handle(new Request(`http://localhost${path}`, { headers }))
const send = (message: string) => get(`/get/send/${encodeURIComponent(message)}`)

function behaveOnce(behaviour: Parameters<typeof fake.behave>[0]) {
  fake.behave(async (message) => {
    fake.behave((m) => Response.json({ original: m, processed: [...m].reverse().join('') }))
    return behaviour(message)
  })
}

describe('GET /get/send/:message', () => {
  test('infra -> arfni', async () => {
    const response = await send('infra')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ original: 'infra', processed: 'arfni' })
  })

  test.each([
    ['slash', 'a/b'],
    ['question mark', 'what?'],
    ['hash', '#1'],
    ['percent', '100%'],
    ['a literal %2F', '%2F'],
    ['plus', 'a+b'],
    ['spaces', '  two  spaces  '],
    ['unicode', 'héllo 🇩🇪 한국어'],
  ])('passes %s to app2 percent-encoded and returns it unchanged', async (_, message) => {
    const response = await send(message)
    expect(response.status).toBe(200)
    expect((await response.json()) as object).toMatchObject({ original: message })
    expect(fake.seen.at(-1)?.path).toBe(`/api2/send/${encodeURIComponent(message)}`)
  })

  test('passes the caller x-request-id to app2 and returns it', async () => {
    const response = await send('abc').then(() => get('/get/send/abc', { 'x-request-id': 'trace-42' }))
    expect(response.headers.get('x-request-id')).toBe('trace-42')
    expect(fake.seen.at(-1)?.requestId).toBe('trace-42')
  })

  test("passes the load balancer's x-amzn-trace-id to app2 unchanged", async () => {
    const trace = 'Root=1-67891233-abcdef012345678912345678;Sampled=1'
    await get('/get/send/abc', { 'x-amzn-trace-id': trace })
    expect(fake.seen.at(-1)?.traceId).toBe(trace)
  })

  test.each([
    ['none', undefined],
    ['unsafe characters', 'Root=1-67891233-abcdef012345678912345678 "x"'],
    ['too long', `Root=1-67891233-abcdef012345678912345678;${'x'.repeat(10_240)}`],
  ])('an x-amzn-trace-id with %s is not passed on', async (_, trace) => {
    await get('/get/send/abc', trace === undefined ? {} : { 'x-amzn-trace-id': trace })
    expect(fake.seen.at(-1)?.traceId).toBeNull()
  })

  test('without one, app2 gets the generated request id that the caller gets back', async () => {
    const response = await send('abc')
    const id = response.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(fake.seen.at(-1)?.requestId).toBe(id)
  })
})

describe('bad input is refused before calling app2', () => {
  test.each([
    ['%FF', 400, 'invalid_encoding'],
    ['a%E0%A4%A', 400, 'invalid_encoding'],
    ['%', 400, 'invalid_encoding'],
    [encodeURIComponent('x'.repeat(MAX_MESSAGE_CHARS + 1)), 414, 'message_too_long'],
    [encodeURIComponent('😀'.repeat(MAX_MESSAGE_BYTES / 12 + 1)), 414, 'message_too_long'],
    ['a'.repeat(MAX_URL_LENGTH), 414, 'uri_too_long'],
  ])('%#: %s', async (raw, status, code) => {
    const calls = fake.seen.length
    await expectErrorBody(await get(`/get/send/${raw}`), status, code)
    expect(fake.seen.length).toBe(calls)
  })

  test(`${MAX_MESSAGE_CHARS} characters pass, and ${MAX_MESSAGE_BYTES} bytes percent-encoded`, async () => {
    expect((await send('é'.repeat(MAX_MESSAGE_CHARS))).status).toBe(200)
    expect((await send('😀'.repeat(MAX_MESSAGE_BYTES / 12))).status).toBe(200)
  })

  test('empty message, unknown route: JSON 404', async () => {
    await expectErrorBody(await get('/get/send/'), 404, 'not_found')
    await expectErrorBody(await get('/get/send/..'), 404, 'not_found')
    await expectErrorBody(await get('/nope'), 404, 'not_found')
  })

  test('another method than GET or HEAD: JSON 405 with Allow, app2 is not called', async () => {
    const calls = fake.seen.length
    const response = await app.handle(new Request('http://localhost/get/send/a', { method: 'DELETE' }))
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    await expectErrorBody(response, 405, 'method_not_allowed')
    expect(fake.seen.length).toBe(calls)
  })
})

describe('app2 trouble', () => {
  test('a 4xx from app2 is passed on with its error', async () => {
    behaveOnce(() => Response.json({ error: 'message_too_long', message: 'too long for app2' }, { status: 414 }))
    expect(await expectErrorBody(await send('x'), 414, 'message_too_long')).toMatchObject({
      message: 'too long for app2',
    })
  })

  test('a 4xx without a proper error body keeps its status', async () => {
    behaveOnce(() => new Response('nope', { status: 429 }))
    await expectErrorBody(await send('x'), 429, 'upstream_rejected')
  })

  test.each([
    ['a 5xx', () => Response.json({ error: 'internal_error', message: 'boom' }, { status: 500 }), 'upstream_error'],
    ['a body that is not JSON', () => new Response('<html>'), 'upstream_bad_response'],
    ['JSON of the wrong shape', () => Response.json({ reversed: 'x' }), 'upstream_bad_response'],
    [
      'the reversal of another message',
      () => Response.json({ original: 'y', processed: 'y' }),
      'upstream_bad_response',
    ],
    [
      'a redirect',
      () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }),
      'upstream_bad_response',
    ],
  ])('%s -> 502', async (_, behaviour, code) => {
    behaveOnce(behaviour)
    await expectErrorBody(await send('x'), 502, code)
  })

  test('app2 unreachable -> 502', async () => {
    const down = createApp({ logger, app2Url: `http://127.0.0.1:${freePort()}`, app2TimeoutMs: 1000 })
    await expectErrorBody(await get('/get/send/x', {}, down), 502, 'upstream_unreachable')
  })

  test('app2 accepts but never answers -> 504 after APP2_TIMEOUT_MS, and again on the next call', async () => {
    const hung = createApp({ logger, app2Url: silent.url, app2TimeoutMs: 150 })
    for (let i = 0; i < 2; i++) {
      const startedAt = performance.now()
      await expectErrorBody(await get('/get/send/x', {}, hung), 504, 'upstream_timeout')
      const elapsed = performance.now() - startedAt
      expect(elapsed).toBeGreaterThanOrEqual(140)
      expect(elapsed).toBeLessThan(1000)
    }
  })

  test('upstream failures are counted by kind', async () => {
    await metrics.flush()
    behaveOnce(() => new Response('', { status: 503 }))
    await send('x')
    behaveOnce(() => Response.json({ error: 'e', message: 'm' }, { status: 400 }))
    await send('x')
    await send('x')
    await metrics.flush()
    const data = inputs.at(-1)?.MetricData ?? []
    const failures = data
      .filter((d) => d.MetricName === 'UpstreamFailures')
      .map((d) => [(d.Dimensions as { Value: string }[]).at(-1)?.Value, d.Value])
    expect(failures).toEqual([
      ['upstream_4xx', 1],
      ['upstream_5xx', 1],
    ])
    const upstreamLatency = data.find((d) => d.MetricName === 'UpstreamLatency')?.Counts as number[]
    expect(upstreamLatency.reduce((a, b) => a + b)).toBe(3)
  })
})

describe('operations', () => {
  test('GET /health answers even when app2 is down', async () => {
    const down = createApp({ logger, app2Url: `http://127.0.0.1:${freePort()}`, app2TimeoutMs: 1000 })
    const response = await get('/health', {}, down)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  test('OpenAPI document: the route, its parameter and every response, errors included', async () => {
    const doc = (await (await get('/swagger/json')).json()) as OpenApiDocument
    expect(doc.openapi).toStartWith('3.')
    const operation = doc.paths['/get/send/{message}']?.get
    expect(operation?.parameters).toContainEqual(expect.objectContaining({ name: 'message', in: 'path' }))
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '404', '414', '502', '504']),
    )
    expect(JSON.stringify(operation?.responses['502'])).toContain('"error"')
    expect((await get('/swagger')).status).toBe(200)
  })
})
