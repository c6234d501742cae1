import { describe, expect, test } from 'bun:test'
import kit from '../package.json'
import { Metrics } from '../src/metrics'
import { SWAGGER_UI_HEADERS } from '../src/plugins/swagger-ui'
import { expectErrorBody, fakeSender, memoryLogger } from '../src/testing'
import { createEchoService, loadEchoConfig } from './fixtures/echo-service'

// What createService gives every service (error handler, request context, OpenAPI, /health), through a small
// service built on it, via app.handle.

const config = loadEchoConfig({})
const { logger, lines } = memoryLogger()
const app = createEchoService({ logger, config })

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }))
const call = (method: string, path: string) => app.handle(new Request(`http://localhost${path}`, { method }))

describe('errors', () => {
  test('unknown route: JSON 404, not plain-text NOT_FOUND', async () => {
    await expectErrorBody(await get('/nope'), 404, 'not_found')
  })

  test.each([
    ['POST', '/echo/abc'],
    ['DELETE', '/echo/abc'],
    ['OPTIONS', '/echo/abc'],
    ['PUT', '/health'],
    ['POST', '/swagger'],
    ['PATCH', '/health/'],
  ])('%s on a known path: JSON 405 with Allow: GET, HEAD', async (method, path) => {
    const response = await call(method, path)
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    const body = await expectErrorBody(response, 405, 'method_not_allowed')
    expect(body.message).toContain('GET, HEAD')
  })

  test('another method on an unknown path is still a 404, without Allow', async () => {
    const response = await call('POST', '/nope')
    expect(response.headers.get('allow')).toBeNull()
    await expectErrorBody(response, 404, 'not_found')
    await expectErrorBody(await call('POST', '/echo/'), 404, 'not_found')
  })

  test('HEAD is answered like GET, without a body', async () => {
    const response = await call('HEAD', '/echo/abc')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(response.headers.get('content-length')).toBe(String(JSON.stringify({ message: 'abc' }).length))
    expect(await response.text()).toBe('')
    expect((await call('HEAD', '/nope')).status).toBe(404)
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

  test('every answer says X-Content-Type-Options: nosniff', async () => {
    for (const path of ['/echo/abc', '/nope', '/health', '/swagger/json']) {
      expect((await get(path)).headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  test('errors carry a request id too, and are logged with their status', async () => {
    const response = await get('/nope', { 'x-request-id': 'lost-1' })
    expect(response.headers.get('x-request-id')).toBe('lost-1')
    await Bun.sleep(0)
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', status: 404, requestId: 'lost-1' }))
  })

  test('a valid x-amzn-trace-id is logged as traceId beside the request id', async () => {
    const trace = 'Self=1-67891233-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678;Sampled=1'
    await get('/echo/abc', { 'x-request-id': 'traced-1', 'x-amzn-trace-id': trace })
    await Bun.sleep(0)
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId: 'traced-1', traceId: trace }))
  })

  test.each([
    ['none', undefined],
    ['unsafe characters', 'Root=1-67891233-abcdef012345678912345678 <script>'],
    ['a list of two', 'Root=1-67891233-abcdef012345678912345678, Root=1-2-3'],
    ['too long', `Root=1-67891233-abcdef012345678912345678;${'x'.repeat(256)}`],
  ])('an x-amzn-trace-id with %s is not logged: the line has no traceId', async (_, trace) => {
    const requestId = `untraced-${lines.length}`
    await get('/echo/abc', { 'x-request-id': requestId, ...(trace && { 'x-amzn-trace-id': trace }) })
    await Bun.sleep(0)
    const line = lines.find((entry) => entry.requestId === requestId)
    expect(line).toMatchObject({ msg: 'request', status: 200 })
    expect(line).not.toHaveProperty('traceId')
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

  test('Swagger UI at /swagger: a page of its own origin only, under a Content-Security-Policy', async () => {
    const response = await get('/swagger')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(SWAGGER_UI_HEADERS['content-security-policy'])
    expect(response.headers.get('content-security-policy')).toStartWith("default-src 'self';")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const page = await response.text()
    expect(page).toContain('<title>echo</title>')
    // No CDN, no absolute URL, no inline script or style: only the service's own files.
    expect(page).not.toMatch(/https?:|\/\/[a-z]/i)
    expect(page).not.toMatch(/<script>|<style|style=/)
    const references = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url)
    expect(references.sort()).toEqual([
      '/swagger/assets/favicon-32x32.png',
      '/swagger/assets/swagger-ui-bundle.js',
      '/swagger/assets/swagger-ui-init.js',
      '/swagger/assets/swagger-ui.css',
    ])
  })

  test.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['favicon-32x32.png', 'image/png'],
  ])("Swagger UI's %s is the pinned swagger-ui-dist's, with its type and the CSP", async (name, type) => {
    const response = await get(`/swagger/assets/${name}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expect(response.headers.get('content-security-policy')).toBe(SWAGGER_UI_HEADERS['content-security-policy'])
    const shipped = await Bun.file(`${import.meta.dir}/../node_modules/swagger-ui-dist/${name}`).bytes()
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(shipped))).toBe(true)
  })

  test('Swagger UI is started by a script file that loads /swagger/json and no validator', async () => {
    const response = await get('/swagger/assets/swagger-ui-init.js')
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const script = await response.text()
    expect(script).toContain('SwaggerUIBundle(')
    expect(script).toContain('url: "/swagger/json"')
    expect(script).toContain('validatorUrl: null')
  })

  test('swagger-ui-dist is pinned to an exact version', () => {
    expect(kit.dependencies['swagger-ui-dist']).toMatch(/^\d+\.\d+\.\d+$/)
  })

  test("the OpenAPI document leaves out Swagger UI's own routes", async () => {
    const doc = (await (await get('/swagger/json')).json()) as { paths: Record<string, object> }
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/swagger'))).toEqual([])
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
