import { type Env, readHost, readPort } from './env'

// `<binary> --healthcheck`: the image's HEALTHCHECK, so the runtime image needs no curl or shell.
// Exit code 0 when GET /health on this container's HOST and PORT answers 200 within 2 s.
export async function healthcheck(env: Env, defaultPort: number): Promise<number> {
  try {
    const port = readPort(env, defaultPort)
    const response = await fetch(`http://${reachableAddress(readHost(env))}:${port}/health`, {
      signal: AbortSignal.timeout(2000),
    })
    return response.status === 200 ? 0 : 1
  } catch {
    return 1
  }
}

/** Where a server listening on `host` is reached from the same machine: loopback for the wildcard addresses. */
function reachableAddress(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}
