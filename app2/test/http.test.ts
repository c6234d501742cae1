import { describe, expect, test } from 'bun:test'
import { createApp } from '../src/app'
import { MAX_MESSAGE_CHARS } from '../src/message'
import { Metrics } from '../src/metrics'
import { fakeSender, memoryLogger } from './helpers'

interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, { parameters: unknown[]; responses: Record<string, OpenApiResponse> }>>
}
type OpenApiResponse = { content: Record<string, { schema: unknown }> }

const { logger, lines } = memoryLogger()
const app = createApp({ logger })

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }))
const send = (message: string) => get(`/api2/send/${encodeURIComponent(message)}`)

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toStartWith('application/json')
  const body = await response.json()
  expect(body).toEqual({ error: code, message: expect.any(String) })
  return body
}

describe('GET /api2/send/:message', () => {
  test('answers the original and the reversal', async () => {
    const response = await send('infra')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toStartWith('application/json')
    expect(await response.json()).toEqual({ original: 'infra', processed: 'arfni' })
  })

  test.each([
    ['slash', 'a/b', 'b/a'],
    ['question mark, hash, percent, plus', '?#%+', '+%#?'],
    ['spaces', ' a  b ', ' b  a '],
    ['a literal %20 stays literal', '%20', '02%'],
    ['unicode', 'héllo 🇩🇪👨‍👩‍👧', '👨‍👩‍👧🇩🇪 olléh'],
  ])('round-trips %s', async (_, message, processed) => {
    const response = await send(message)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ original: message, processed })
  })

  test('a plus sign in the path is a plus, not a space', async () => {
    expect(await (await get('/api2/send/a+b')).json()).toEqual({ original: 'a+b', processed: 'b+a' })
  })

  test('the query string is not part of the message', async () => {
    expect(await (await get('/api2/send/abc?x=1')).json()).toEqual({ original: 'abc', processed: 'cba' })
  })

  test.each([
    ['a byte that is not UTF-8', '%FF'],
    ['a truncated UTF-8 sequence', 'a%E0%A4%A'],
    ['a lone percent sign', '100%'],
    ['a non-hex escape', '%G1'],
    ['an encoded UTF-16 surrogate', '%ED%A0%80'],
    ['an overlong encoding', '%C0%AF'],
  ])('rejects %s with 400', async (_, raw) => {
    await expectError(await get(`/api2/send/${raw}`), 400, 'invalid_encoding')
  })

  test(`accepts ${MAX_MESSAGE_CHARS} characters, rejects one more with 414 and no echo`, async () => {
    const longest = 'é'.repeat(MAX_MESSAGE_CHARS)
    const ok = await send(longest)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ processed: longest })
    const response = await send(`${longest}é`)
    const text = JSON.stringify(await expectError(response, 414, 'message_too_long'))
    expect(text.length).toBeLessThan(200)
  })

  test('counts characters, not UTF-16 units: 1,000 emoji (2,000 units) pass', async () => {
    const response = await send('😀'.repeat(1000))
    expect(response.status).toBe(200)
  })

  test('rejects a URL over the raw length cap before decoding it', async () => {
    await expectError(await get(`/api2/send/${'a'.repeat(20_000)}`), 414, 'uri_too_long')
  })

  test('an empty message is a 404', async () => {
    await expectError(await get('/api2/send/'), 404, 'not_found')
  })

  test('"." and ".." are resolved by URL rules before the app sees them: 404, never a 500', async () => {
    for (const segment of ['.', '..', '%2E', '%2e%2E']) {
      const response = await get(`/api2/send/${segment}`)
      expect(response.status).toBe(404)
    }
  })
})

describe('errors', () => {
  test('unknown route: JSON 404, not plain-text NOT_FOUND', async () => {
    await expectError(await get('/nope'), 404, 'not_found')
  })

  test('other methods: JSON 404', async () => {
    const response = await app.handle(new Request('http://localhost/api2/send/abc', { method: 'POST', body: 'x' }))
    await expectError(response, 404, 'not_found')
  })

  test('a deterministic fuzz of raw paths never answers 5xx and always answers JSON', async () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const alphabet = ['%', 'F', 'f', '0', '9', 'E', 'A', 'C', '2', 'a', '/', '.', '~', '-', '+', '%25', '%F0%9F']
    for (let i = 0; i < 300; i++) {
      let raw = ''
      const length = 1 + Math.floor(random() * 12)
      for (let j = 0; j < length; j++) raw += alphabet[Math.floor(random() * alphabet.length)]
      const response = await get(`/api2/send/${raw}`)
      expect(response.status).toBeLessThan(500)
      expect(response.headers.get('content-type')).toStartWith('application/json')
    }
  })
})

describe('request id and access log', () => {
  test('a valid x-request-id is returned and logged with method, route, status and duration', async () => {
    lines.length = 0
    const response = await get('/api2/send/abc', { 'x-request-id': 'req-123.abc:X_1' })
    expect(response.headers.get('x-request-id')).toBe('req-123.abc:X_1')
    await Bun.sleep(0) // the access log is written after the response
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        level: 'info',
        method: 'GET',
        route: '/api2/send/:message',
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
    const response = await get('/api2/send/abc', { 'x-request-id': value })
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('errors carry a request id too', async () => {
    const response = await get('/nope', { 'x-request-id': 'lost-1' })
    expect(response.headers.get('x-request-id')).toBe('lost-1')
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

  test('OpenAPI document lists the routes, the parameter, and the success and error schemas', async () => {
    const response = await get('/swagger/json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as OpenApiDocument
    expect(doc.openapi).toStartWith('3.')
    const send = doc.paths['/api2/send/{message}']?.get
    if (!send) throw new Error('no GET /api2/send/{message} in the document')
    expect(send.parameters).toContainEqual(expect.objectContaining({ name: 'message', in: 'path', required: true }))
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '414']))
    const schemaOf = (status: string) => JSON.stringify(send.responses[status]?.content['application/json']?.schema)
    expect(schemaOf('200')).toContain('processed')
    expect(schemaOf('400')).toContain('error')
    expect(doc.paths['/health']?.get).toBeDefined()
  })

  test('Swagger UI at /swagger', async () => {
    const response = await get('/swagger')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('swagger-ui')
  })

  test('each response is counted in the metrics, health checks are not', async () => {
    const { sender, inputs } = fakeSender()
    const metrics = new Metrics({ namespace: 'Test', service: 'app2', environment: 'local', sender, logger })
    const counted = createApp({ logger, metrics })
    const call = (path: string) => counted.handle(new Request(`http://localhost${path}`))
    await call('/api2/send/abc')
    await call('/api2/send/%FF')
    await call('/health')
    await Bun.sleep(0)
    await metrics.flush()
    const data = Object.fromEntries((inputs[0]?.MetricData ?? []).map((d) => [d.MetricName, d]))
    expect(data).toMatchObject({ Requests: { Value: 2 }, Errors4xx: { Value: 1 }, Errors5xx: { Value: 0 } })
    const latencyCounts = data.Latency?.Counts as number[]
    expect(latencyCounts.reduce((a, b) => a + b)).toBe(2)
  })
})
