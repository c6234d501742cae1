// Baseline for `make bench`: app1's job (forward the message to app2, return its answer) with nothing but
// Bun.serve and fetch. Every call gets a fresh timeout signal, as the real app1 must.
const app2Url = process.env.APP2_URL ?? 'http://127.0.0.1:3002'
const timeoutMs = Number(process.env.APP2_TIMEOUT_MS ?? 2000)

type Reversed = { original: string; processed: string }

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3001),
  routes: {
    '/health': () => Response.json({ status: 'ok' }),
    '/get/send/:message': async (request) => {
      try {
        const answer = await fetch(`${app2Url}/api2/send/${encodeURIComponent(request.params.message)}`, {
          signal: AbortSignal.timeout(timeoutMs),
        })
        if (!answer.ok) return Response.json({ error: 'app2 failed' }, { status: 502 })
        const { original, processed } = (await answer.json()) as Reversed
        return Response.json({ original, processed })
      } catch {
        return Response.json({ error: 'app2 unreachable' }, { status: 502 })
      }
    },
  },
  fetch: () => new Response('Not Found', { status: 404 }),
})

process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
