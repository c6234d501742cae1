// Baseline for `make bench`: app2's job (reverse a message by grapheme) with nothing but Bun.serve,
// so the benchmark can show what the framework, validation, logging and metrics of the real app2 cost.
import { reverseGraphemes } from './baseline-reverse'

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3002),
  routes: {
    '/health': () => Response.json({ status: 'ok' }),
    '/api2/send/:message': (request) => {
      const original = request.params.message
      return Response.json({ original, processed: reverseGraphemes(original) })
    },
  },
  fetch: () => new Response('Not Found', { status: 404 }),
})

process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
