import { describe, expect, test } from 'bun:test'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS, MAX_URL_LENGTH } from '../src/message'
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

  test.each([
    ['emoji (4 UTF-8 bytes, 12 encoded)', 1000, '😀'],
    ['CJK (3 UTF-8 bytes, 9 encoded)', 1333, '中'],
    ['Latin with accents (2 UTF-8 bytes, 6 encoded)', MAX_MESSAGE_CHARS, 'é'],
  ])(
    `at most ${MAX_MESSAGE_BYTES} bytes percent-encoded: %s fit %i times, not once more`,
    async (_, fit, character) => {
      expect((await echo(character.repeat(fit))).status).toBe(200)
      await expectErrorBody(await echo(character.repeat(fit + 1)), 414, 'message_too_long')
    },
  )

  test('the encoded length is that of encodeURIComponent, however the client encoded the message', async () => {
    // ':' may be sent as is, and counts as %3A: 999 emoji (11,988 bytes encoded) and four colons fit, five do not.
    const emoji = encodeURIComponent('😀'.repeat(999))
    expect((await get(`/echo/${emoji}::::`)).status).toBe(200)
    await expectErrorBody(await get(`/echo/${emoji}:::::`), 414, 'message_too_long')
  })

  test(`a request target (path and query) of ${MAX_URL_LENGTH} bytes is read, one more byte is a 414`, async () => {
    const target = (length: number) => `/echo/x?${'q'.repeat(length - '/echo/x?'.length)}`
    expect(await (await get(target(MAX_URL_LENGTH))).json()).toEqual({ message: 'x' })
    await expectErrorBody(await get(target(MAX_URL_LENGTH + 1)), 414, 'uri_too_long')
  })

  test('the cap counts the target only, not the host', async () => {
    const longHost = `http://${'h'.repeat(200)}.example`
    const target = `/echo/x?${'q'.repeat(MAX_URL_LENGTH - '/echo/x?'.length)}`
    expect((await app.handle(new Request(`${longHost}${target}`))).status).toBe(200)
  })

  test('rejects a URL over the raw length cap before decoding it', async () => {
    await expectErrorBody(await get(`/echo/${'%FF'.repeat(5000)}`), 414, 'uri_too_long')
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
    expect(JSON.stringify(parameter)).toContain(`at most ${MAX_MESSAGE_BYTES} bytes`)
    expect(JSON.stringify(operation?.responses?.['414'])).toContain('message_too_long')
    expect(JSON.stringify(operation?.responses?.['414'])).toContain('uri_too_long')
  })
})
