import { type Env, readPort } from './env'

// `<binary> --healthcheck`: the image's HEALTHCHECK, so the runtime image needs no curl or shell.
// Exit code 0 when GET /health on this container's port answers 200 within 2 s.
export async function healthcheck(env: Env, defaultPort: number): Promise<number> {
  try {
    const port = readPort(env, defaultPort)
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })
    return response.status === 200 ? 0 : 1
  } catch {
    return 1
  }
}
