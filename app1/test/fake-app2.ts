import { createServer, type Server, type Socket } from 'node:net'

// Stand-ins for app2, so app1's tests need no code from app2 (each app is its own repository).

export interface SeenRequest {
  path: string
  requestId: string | null
  traceId: string | null
}

export type Behaviour = (message: string) => Response | Promise<Response>

/** Answers like app2 (reversing code points, enough for tests) unless told to behave otherwise. */
export const reverseLikeApp2: Behaviour = (message) =>
  Response.json({ original: message, processed: [...message].reverse().join('') })

export function startFakeApp2(port = 0) {
  const seen: SeenRequest[] = []
  let behaviour: Behaviour = reverseLikeApp2
  const server = Bun.serve({
    port,
    hostname: '127.0.0.1',
    async fetch(request) {
      const path = request.url.slice(request.url.indexOf('/', 8))
      seen.push({
        path,
        requestId: request.headers.get('x-request-id'),
        traceId: request.headers.get('x-amzn-trace-id'),
      })
      if (!path.startsWith('/api2/send/')) return Response.json({ error: 'not_found', message: '' }, { status: 404 })
      return behaviour(decodeURIComponent(path.slice('/api2/send/'.length)))
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port ?? 0,
    seen,
    behave(next: Behaviour) {
      behaviour = next
    },
    stop: () => server.stop(true),
  }
}
export type FakeApp2 = ReturnType<typeof startFakeApp2>

/** A TCP server that accepts connections and never answers: app2 hung. */
export async function startSilentServer(): Promise<{ url: string; stop: () => void }> {
  const sockets: Socket[] = []
  const server: Server = createServer((socket) => {
    sockets.push(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}
