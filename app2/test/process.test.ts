import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort, type RunningApp, rawGet, startApp, until } from './helpers'

// The real program (`bun run src/index.ts`) on a real port.

let app2: RunningApp

beforeAll(async () => {
  app2 = await startApp({})
})

afterAll(() => {
  app2.proc.kill('SIGKILL')
})

describe('app2 process', () => {
  test('answers over HTTP and logs one JSON line per request', async () => {
    const response = await fetch(`${app2.url}/api2/send/${encodeURIComponent('héllo wörld/?#%+ 🇩🇪')}`, {
      headers: { 'x-request-id': 'process-1' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toBe('process-1')
    expect(await response.json()).toEqual({ original: 'héllo wörld/?#%+ 🇩🇪', processed: '🇩🇪 +%#?/dlröw olléh' })
    await until(() => app2.logs.some((line) => line.requestId === 'process-1'))
    expect(app2.logs).toContainEqual(
      expect.objectContaining({ msg: 'request', service: 'app2', status: 200, requestId: 'process-1' }),
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

  test('--healthcheck exits 0 while the server is up, 1 when nothing listens', async () => {
    const port = new URL(app2.url).port
    const check = (env: Record<string, string>) =>
      Bun.spawn(['bun', 'run', 'src/index.ts', '--healthcheck'], {
        cwd: `${import.meta.dir}/..`,
        env: { ...process.env, ...env },
      }).exited
    expect(await check({ PORT: port })).toBe(0)
    expect(await check({ PORT: String(freePort()) })).toBe(1)
  })
})

describe('startup and shutdown', () => {
  test('a bad variable stops the start with a message naming it', async () => {
    const proc = Bun.spawn(['bun', 'run', 'src/index.ts'], {
      cwd: `${import.meta.dir}/..`,
      env: { ...process.env, PORT: 'eighty' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    expect(await proc.exited).toBe(1)
    expect(await new Response(proc.stderr).text()).toContain('PORT must be a whole number')
  })

  test('SIGTERM: exits 0 promptly even with an idle keep-alive connection open, logging the shutdown', async () => {
    const app = await startApp({})
    // a pooled keep-alive connection stays open after this request
    expect((await fetch(`${app.url}/health`)).status).toBe(200)
    const sentAt = performance.now()
    app.proc.kill('SIGTERM')
    expect(await app.exited).toBe(0)
    expect(performance.now() - sentAt).toBeLessThan(5000)
    expect(app.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['started', 'shutting down', 'stopped']))
  })
})
