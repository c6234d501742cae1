import { describe, expect, test } from 'bun:test'
import { MAX_MESSAGE_CHARS } from '../src/message'
import { expectErrorBody, memoryLogger } from '../src/testing'
import { createEchoService, loadEchoConfig } from './fixtures/echo-service'

// decodeMessage and messageParam through a route that uses them (GET /echo/:message), via app.handle.

const { logger } = memoryLogger('warn')
const app = createEchoService({ logger, config: loadEchoConfig({}) })

const get = (path: string) => app.handle(new Request(`http://localhost${path}`))
const echo = (message: string) => get(`/echo/${encodeURIComponent(message)}`)

describe('the message of a route', () => {
  test.each([
    ['slash', 'a/b'],
    ['question mark, hash, percent, plus', '?#%+'],
    ['spaces', ' a  b '],
    ['a literal %20 stays literal', '%20'],
    ['unicode', 'héllo 🇩🇪👨‍👩‍👧'],
  ])('is the percent-decoded segment: %s', async (_, message) => {
    expect(await (await echo(message)).json()).toEqual({ message })
  })

  test('a plus sign in the path is a plus, not a space', async () => {
    expect(await (await get('/echo/a+b')).json()).toEqual({ message: 'a+b' })
  })

  test('the query string is not part of the message', async () => {
    expect(await (await get('/echo/abc?x=1')).json()).toEqual({ message: 'abc' })
  })

  test.each([
    ['a byte that is not UTF-8', '%FF'],
    ['a truncated UTF-8 sequence', 'a%E0%A4%A'],
    ['a lone percent sign', '100%'],
    ['a non-hex escape', '%G1'],
    ['an encoded UTF-16 surrogate', '%ED%A0%80'],
    ['an overlong encoding', '%C0%AF'],
  ])('rejects %s with 400', async (_, raw) => {
    await expectErrorBody(await get(`/echo/${raw}`), 400, 'invalid_encoding')
  })

  test(`accepts ${MAX_MESSAGE_CHARS} characters, rejects one more with 414 and no echo`, async () => {
    const longest = 'é'.repeat(MAX_MESSAGE_CHARS)
    const ok = await echo(longest)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ message: longest })
    const text = JSON.stringify(await expectErrorBody(await echo(`${longest}é`), 414, 'message_too_long'))
    expect(text.length).toBeLessThan(200)
  })

  test('counts characters, not UTF-16 units: 1,000 emoji (2,000 units) pass', async () => {
    expect((await echo('😀'.repeat(1000))).status).toBe(200)
  })

  test('rejects a URL over the raw length cap before decoding it', async () => {
    await expectErrorBody(await get(`/echo/${'a'.repeat(20_000)}`), 414, 'uri_too_long')
  })

  test('an empty message is a 404', async () => {
    await expectErrorBody(await get('/echo/'), 404, 'not_found')
  })

  test('"." and ".." are resolved by URL rules before the app sees them: 404, never a 500', async () => {
    for (const segment of ['.', '..', '%2E', '%2e%2E']) {
      expect((await get(`/echo/${segment}`)).status).toBe(404)
    }
  })

  test('the OpenAPI document describes the parameter, its limit and the errors (messageErrors)', async () => {
    const doc = (await (await get('/swagger/json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[]; responses?: Record<string, object> } }>
    }
    const operation = doc.paths['/echo/{message}']?.get
    const parameter = operation?.parameters?.find((p) => p.name === 'message')
    expect(parameter).toMatchObject({ in: 'path', required: true })
    expect(JSON.stringify(parameter)).toContain(`1 to ${MAX_MESSAGE_CHARS} characters`)
    expect(Object.keys(operation?.responses ?? {})).toEqual(['200', '400', '404', '414'])
    expect(JSON.stringify(operation?.responses?.['414'])).toContain('message_too_long or uri_too_long')
  })
})
