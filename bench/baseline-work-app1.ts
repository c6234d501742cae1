// Baseline for `make bench`: baseline-app1.ts plus the production work of production-work.ts (request id,
// passed on to app2, one access-log line per request), still with nothing but Bun.serve and fetch.
import { accessLog, requestIdOf } from './production-work'

const logRequest = accessLog('app1')

const app2Url = process.env.APP2_URL ?? 'http://127.0.0.1:3002'
const timeoutMs = Number(process.env.APP2_TIMEOUT_MS ?? 2000)

type Reversed = { original: string; processed: string }

async function forward(request: Request & { params: { message: string } }, requestId: string): Promise<Response> {
  const headers = { 'x-request-id': requestId }
  try {
    const answer = await fetch(`${app2Url}/api2/send/${encodeURIComponent(request.params.message)}`, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!answer.ok) return Response.json({ error: 'app2 failed' }, { status: 502, headers })
    const { original, processed } = (await answer.json()) as Reversed
    return Response.json({ original, processed }, { headers })
  } catch {
    return Response.json({ error: 'app2 unreachable' }, { status: 502, headers })
  }
}

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3001),
  routes: {
    '/health': () => Response.json({ status: 'ok' }),
    '/get/send/:message': async (request) => {
      const startedAt = performance.now()
      const requestId = requestIdOf(request)
      const response = await forward(request, requestId)
      logRequest(request, '/get/send/:message', response.status, startedAt, requestId)
      return response
    },
  },
  fetch: () => new Response('Not Found', { status: 404 }),
})

process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
