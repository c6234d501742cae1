// Baseline for `make bench`: baseline-app2.ts plus the production work of production-work.ts (request id,
// one access-log line per request), still with nothing but Bun.serve.
import { reverseGraphemes } from './baseline-reverse'
import { accessLog, requestIdOf } from './production-work'

const logRequest = accessLog('app2')

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3002),
  routes: {
    '/health': () => Response.json({ status: 'ok' }),
    '/api2/send/:message': (request) => {
      const startedAt = performance.now()
      const requestId = requestIdOf(request)
      const original = request.params.message
      const response = Response.json(
        { original, processed: reverseGraphemes(original) },
        { headers: { 'x-request-id': requestId } },
      )
      logRequest(request, '/api2/send/:message', 200, startedAt, requestId)
      return response
    },
  },
  fetch: () => new Response('Not Found', { status: 404 }),
})

process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
