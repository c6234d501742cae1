import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { type RunningApp, startApp, until } from '@relay/service-kit/testing'

// app1 and the real app2 as two processes, when this repository has app2 beside app1 with its dependencies
// installed (scripts/test-apps.sh and the apps workflow install app2 first). Alone, as in a repository of its own,
// app1's own tests use a fake app2 and these are skipped; under CI, an app2 that is there but not installed fails
// them instead, so that they cannot stop running unnoticed.

const app2Dir = `${import.meta.dir}/../../app2`
const available = existsSync(`${app2Dir}/node_modules/elysia`)
const required = /^(true|1)$/i.test(process.env.CI ?? '') && existsSync(`${app2Dir}/package.json`)
if (!available && required) {
  throw new Error(`cross-app tests: ${app2Dir} is not installed (bun install --frozen-lockfile there first)`)
}
if (!available) console.warn(`cross-app tests skipped: no installed app2 at ${app2Dir}`)

describe.skipIf(!available)('app1 -> real app2', () => {
  let app2: RunningApp
  let app1: RunningApp

  beforeAll(async () => {
    app2 = await startApp(app2Dir)
    app1 = await startApp(`${import.meta.dir}/..`, { APP2_URL: app2.url })
  })

  afterAll(() => {
    app1?.proc.kill('SIGKILL')
    app2?.proc.kill('SIGKILL')
  })

  test.each([
    ['infra', 'arfni'],
    ['a/b?c#d%e+f g', 'g f+e%d#c?b/a'],
    ['e\u0301👨‍👩‍👧🇩🇪', '🇩🇪👨‍👩‍👧e\u0301'],
  ])('%s -> %s', async (original, processed) => {
    const response = await fetch(`${app1.url}/get/send/${encodeURIComponent(original)}`, {
      headers: { 'x-request-id': 'cross-1' },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ original, processed })
    expect(response.headers.get('x-request-id')).toBe('cross-1')
  })

  test("app2's own refusals reach the client: invalid UTF-8 is a 400 from app1, too long a 414", async () => {
    expect((await fetch(`${app1.url}/get/send/%FF`)).status).toBe(400)
    expect((await fetch(`${app1.url}/get/send/${'a'.repeat(2001)}`)).status).toBe(414)
  })

  test.each([
    ['2,000 characters of Latin with accents', 'é'.repeat(2000)],
    ['1,000 emoji (12,000 bytes percent-encoded)', '😀'.repeat(1000)],
  ])('the longest messages app1 accepts, app2 accepts too: %s', async (_, original) => {
    const response = await fetch(`${app1.url}/get/send/${encodeURIComponent(original)}`)
    expect(response.status).toBe(200)
    expect(((await response.json()) as { original: string }).original).toBe(original)
  })

  const accessLine = (app: RunningApp, requestId: string) =>
    app.logs.find((line) => line.msg === 'request' && line.requestId === requestId)

  test('both access lines carry the request id and the trace id of the load balancer', async () => {
    const trace = 'Root=1-67891233-abcdef012345678912345678;Sampled=1'
    await fetch(`${app1.url}/get/send/trace`, { headers: { 'x-request-id': 'cross-trace', 'x-amzn-trace-id': trace } })
    await until(() => accessLine(app1, 'cross-trace') !== undefined && accessLine(app2, 'cross-trace') !== undefined)
    expect(accessLine(app1, 'cross-trace')).toMatchObject({ service: 'app1', status: 200, traceId: trace })
    expect(accessLine(app2, 'cross-trace')).toMatchObject({ service: 'app2', status: 200, traceId: trace })
  })

  test('without a trace id, neither line has one (app1 makes none up)', async () => {
    await fetch(`${app1.url}/get/send/trace`, { headers: { 'x-request-id': 'cross-untraced' } })
    await until(
      () => accessLine(app1, 'cross-untraced') !== undefined && accessLine(app2, 'cross-untraced') !== undefined,
    )
    expect(accessLine(app1, 'cross-untraced')).not.toHaveProperty('traceId')
    expect(accessLine(app2, 'cross-untraced')).not.toHaveProperty('traceId')
  })

  test('a hostile trace id (10 KB) is logged by neither', async () => {
    const trace = `Root=1-67891233-abcdef012345678912345678;${'x'.repeat(10_240)}`
    await fetch(`${app1.url}/get/send/trace`, {
      headers: { 'x-request-id': 'cross-hostile', 'x-amzn-trace-id': trace },
    })
    await until(
      () => accessLine(app1, 'cross-hostile') !== undefined && accessLine(app2, 'cross-hostile') !== undefined,
    )
    expect(accessLine(app1, 'cross-hostile')).not.toHaveProperty('traceId')
    expect(accessLine(app2, 'cross-hostile')).not.toHaveProperty('traceId')
  })
})
