import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type RunningApp, rawGet, startApp, until } from '@relay/service-kit/testing'

// The real program (`bun run src/index.ts`) on a real port. Start-up, --healthcheck, configuration errors and
// shutdown are runService's, tested in packages/service-kit.

let app2: RunningApp

beforeAll(async () => {
  app2 = await startApp(`${import.meta.dir}/..`)
})

afterAll(() => {
  app2.proc.kill('SIGKILL')
})

describe('app2 process', () => {
  test('answers over HTTP and logs one JSON line per request', async () => {
    const trace = 'Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678'
    const response = await fetch(`${app2.url}/api2/send/${encodeURIComponent('héllo wörld/?#%+ 🇩🇪')}`, {
      headers: { 'x-request-id': 'process-1', 'x-amzn-trace-id': trace },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toBe('process-1')
    expect(await response.json()).toEqual({ original: 'héllo wörld/?#%+ 🇩🇪', processed: '🇩🇪 +%#?/dlröw olléh' })
    await until(() => app2.logs.some((line) => line.requestId === 'process-1'))
    expect(app2.logs).toContainEqual(
      expect.objectContaining({ msg: 'request', service: 'app2', status: 200, requestId: 'process-1', traceId: trace }),
    )
  })

  test('dot segments sent as is are resolved by the server: JSON 404, never a 500', async () => {
    for (const target of ['/api2/send/..', '/api2/send/.', '/api2/send/%2E%2E']) {
      const { status, body } = await rawGet(app2.url, target)
      expect(status).toBe(404)
      expect(JSON.parse(body).error).toBe('not_found')
    }
  })

  test('over-long messages are refused with 414', async () => {
    const response = await fetch(`${app2.url}/api2/send/${'a'.repeat(2001)}`)
    expect(response.status).toBe(414)
  })

  test('another method: JSON 405 with Allow', async () => {
    const response = await fetch(`${app2.url}/api2/send/abc`, { method: 'PUT' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, HEAD')
    expect(await response.json()).toMatchObject({ error: 'method_not_allowed' })
  })
})
