import { describe, expect, test } from 'bun:test'
import { Metrics } from '../src/metrics'
import { expectErrorBody, fakeSender, memoryLogger } from '../src/testing'
import { createEchoService, loadEchoConfig } from './fixtures/echo-service'

// What createService gives every service (error handler, request context, OpenAPI, /health), through a small
// service built on it, via app.handle.

const config = loadEchoConfig({})
const { logger, lines } = memoryLogger()
const app = createEchoService({ logger, config })

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }))

describe('errors', () => {
  test('unknown route: JSON 404, not plain-text NOT_FOUND', async () => {
    await expectErrorBody(await get('/nope'), 404, 'not_found')
  })

  test('other methods: JSON 404', async () => {
    const response = await app.handle(new Request('http://localhost/echo/abc', { method: 'POST', body: 'x' }))
    await expectErrorBody(response, 404, 'not_found')
  })

  test('a request that fails validation: 400 invalid_request, without echoing the input', async () => {
    const body = await expectErrorBody(await get('/count?n=not-a-number'), 400, 'invalid_request')
    expect(JSON.stringify(body)).not.toContain('not-a-number')
  })

  test('a bug: 500 internal_error, logged with its stack, the detail never sent', async () => {
    lines.length = 0
    const body = await expectErrorBody(await get('/boom'), 500, 'internal_error')
    expect(JSON.stringify(body)).not.toContain('secret')
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'unhandled error',
        error: expect.objectContaining({ message: 'a secret detail', stack: expect.any(String) }),
      }),
    )
  })
})

describe('request id and access log', () => {
  test('a valid x-request-id is returned and logged with method, route, status and duration', async () => {
    lines.length = 0
    const response = await get('/echo/abc', { 'x-request-id': 'req-123.abc:X_1' })
    expect(response.headers.get('x-request-id')).toBe('req-123.abc:X_1')
    await Bun.sleep(0) // the access log is written after the response
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        level: 'info',
        method: 'GET',
        route: '/echo/:message',
        status: 200,
        durationMs: expect.any(Number),
        requestId: 'req-123.abc:X_1',
      }),
    )
  })

  test.each([
    ['unsafe characters', 'abc def<script>'],
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
  ])('an x-request-id with %s is replaced by a generated one', async (_, value) => {
    const response = await get('/echo/abc', { 'x-request-id': value })
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('errors carry a request id too, and are logged with their status', async () => {
    const response = await get('/nope', { 'x-request-id': 'lost-1' })
    expect(response.headers.get('x-request-id')).toBe('lost-1')
    await Bun.sleep(0)
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', status: 404, requestId: 'lost-1' }))
  })

  test('health checks are logged at debug only', async () => {
    await get('/health', { 'x-request-id': 'health-1' })
    await Bun.sleep(0)
    expect(lines.filter((line) => line.requestId === 'health-1')).toEqual([
      expect.objectContaining({ level: 'debug', route: '/health' }),
    ])
  })
})

describe('operations', () => {
  test('GET /health', async () => {
    const response = await get('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  test("OpenAPI 3.1 document at /swagger/json: the service's info, /health and the service's routes", async () => {
    const response = await get('/swagger/json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { openapi: string; info: object; paths: Record<string, object> }
    expect(doc.openapi).toStartWith('3.1')
    expect(doc.info).toEqual({ title: 'echo', version: '1.0.0', description: 'Answers what it is sent.' })
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/echo/{message}']))
    expect(JSON.stringify(doc.paths['/health'])).toContain('Answers 200 while the process serves requests.')
  })

  test('Swagger UI at /swagger', async () => {
    const response = await get('/swagger')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('swagger-ui')
  })

  test('each response is counted in the metrics, health checks are not', async () => {
    const { sender, inputs } = fakeSender()
    const metrics = new Metrics({ namespace: 'Test', service: 'echo', environment: 'local', sender, logger })
    const counted = createEchoService({ logger, metrics, config })
    const call = (path: string) => counted.handle(new Request(`http://localhost${path}`))
    await call('/echo/abc')
    await call('/echo/%FF')
    await call('/boom')
    await call('/health')
    await Bun.sleep(0)
    await metrics.flush()
    const data = Object.fromEntries((inputs[0]?.MetricData ?? []).map((d) => [d.MetricName, d]))
    expect(data).toMatchObject({ Requests: { Value: 3 }, Errors4xx: { Value: 1 }, Errors5xx: { Value: 1 } })
    const latencyCounts = data.Latency?.Counts as number[]
    expect(latencyCounts.reduce((a, b) => a + b)).toBe(3)
  })
})
