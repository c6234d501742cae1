import { describe, expect, test } from 'bun:test'
import { MAX_MESSAGE_CHARS } from '@relay/service-kit'
import { expectErrorBody, memoryLogger } from '@relay/service-kit/testing'
import { createApp } from '../src/app'

// app2's route through app.handle. What every service does the same way (errors, request ids, access log,
// decoding and limits of a message, /health, Swagger UI) is tested in packages/service-kit.

interface OpenApiDocument {
  openapi: string
  info: { title: string }
  paths: Record<string, Record<string, { parameters: unknown[]; responses: Record<string, OpenApiResponse> }>>
}
type OpenApiResponse = { content: Record<string, { schema: unknown }> }

const { logger } = memoryLogger('warn')
const app = createApp({ logger })

const get = (path: string) => app.handle(new Request(`http://localhost${path}`))
const send = (message: string) => get(`/api2/send/${encodeURIComponent(message)}`)

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

  test('decodes the raw path strictly: invalid UTF-8 is a 400, not a reversal of U+FFFD', async () => {
    await expectErrorBody(await get('/api2/send/%FF'), 400, 'invalid_encoding')
  })

  test(`reverses ${MAX_MESSAGE_CHARS} characters, refuses one more with 414`, async () => {
    const longest = 'é'.repeat(MAX_MESSAGE_CHARS)
    const ok = await send(longest)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ processed: longest })
    await expectErrorBody(await send(`${longest}é`), 414, 'message_too_long')
  })

  test('an empty message is a 404', async () => {
    await expectErrorBody(await get('/api2/send/'), 404, 'not_found')
  })

  test('another method is a 405 that names GET and HEAD; HEAD is a GET without the body', async () => {
    const post = await app.handle(new Request('http://localhost/api2/send/abc', { method: 'POST' }))
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    await expectErrorBody(post, 405, 'method_not_allowed')
    const head = await app.handle(new Request('http://localhost/api2/send/abc', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
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

test('OpenAPI document: the route, the parameter, and the success and error schemas', async () => {
  const response = await get('/swagger/json')
  expect(response.status).toBe(200)
  const doc = (await response.json()) as OpenApiDocument
  expect(doc.openapi).toStartWith('3.')
  expect(doc.info.title).toBe('relay reverser (app2)')
  const send = doc.paths['/api2/send/{message}']?.get
  if (!send) throw new Error('no GET /api2/send/{message} in the document')
  expect(send.parameters).toContainEqual(expect.objectContaining({ name: 'message', in: 'path', required: true }))
  expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '414']))
  const schemaOf = (status: string) => JSON.stringify(send.responses[status]?.content['application/json']?.schema)
  expect(schemaOf('200')).toContain('processed')
  expect(schemaOf('400')).toContain('error')
  expect(doc.paths['/health']?.get).toBeDefined()
})
