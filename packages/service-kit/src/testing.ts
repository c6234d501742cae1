import { expect } from 'bun:test'
import type { Subprocess } from 'bun'
import type { ErrorBody } from './errors'
import { createLogger, type LogLevel } from './logger'
import type { MetricsSender } from './metrics'

// Helpers for the tests of a service: in-memory stand-ins, and the service as a real process on a real port.

/** A logger that keeps its lines in memory, parsed. */
export function memoryLogger(level: LogLevel = 'debug') {
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({ service: 'test', level, sink: (line) => lines.push(JSON.parse(line)) })
  return { logger, lines }
}

/** A CloudWatch client stand-in that records what would be sent. */
export function fakeSender(fail = false) {
  const inputs: { Namespace?: string; MetricData?: Record<string, unknown>[] }[] = []
  const sender: MetricsSender = {
    async send(command) {
      inputs.push(command.input as (typeof inputs)[number])
      if (fail) throw new Error('throttled')
    },
  }
  return { sender, inputs }
}

/** Asserts an error response: the status, JSON, and a body of exactly { error: code, message }. Returns the body. */
export async function expectErrorBody(response: Response, status: number, code: string): Promise<ErrorBody> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toStartWith('application/json')
  const body = (await response.json()) as ErrorBody
  expect(body).toEqual({ error: code, message: expect.any(String) })
  return body
}

export function freePort(): number {
  const server = Bun.serve({ port: 0, fetch: () => new Response() })
  const port = server.port ?? 0
  server.stop(true)
  return port
}

export interface RunningApp {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  url: string
  /** Every stdout line so far, parsed (the app logs JSON lines). */
  logs: Record<string, unknown>[]
  exited: Promise<number>
}

/**
 * Starts `bun run <entry>` in a service's folder, on a free port unless env sets PORT, and resolves once it
 * logged "started".
 */
export async function startApp(
  appDir: string,
  env: Record<string, string> = {},
  entry = 'src/index.ts',
): Promise<RunningApp> {
  const port = env.PORT ?? String(freePort())
  const proc = Bun.spawn(['bun', 'run', entry], {
    cwd: appDir,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: port },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const logs: Record<string, unknown>[] = []
  const started = Promise.withResolvers<void>()
  const reading = (async () => {
    let buffered = ''
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk
      let newline = buffered.indexOf('\n')
      while (newline >= 0) {
        const entry = JSON.parse(buffered.slice(0, newline))
        logs.push(entry)
        if (entry.msg === 'started') started.resolve()
        buffered = buffered.slice(newline + 1)
        newline = buffered.indexOf('\n')
      }
    }
  })()
  // resolves once the process ended and every line it wrote was read
  const exited = Promise.all([proc.exited, reading]).then(([code]) => code)
  await Promise.race([
    started.promise,
    proc.exited.then(async (code) => {
      throw new Error(`app exited with ${code} before starting: ${await new Response(proc.stderr).text()}`)
    }),
  ])
  return { proc, url: `http://127.0.0.1:${port}`, logs, exited }
}

/** Runs `bun run <entry> <args>` in a service's folder to its end: exit code and what it wrote. */
export async function runToExit(
  appDir: string,
  {
    env = {},
    args = [],
    entry = 'src/index.ts',
  }: { env?: Record<string, string | undefined>; args?: string[]; entry?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(['bun', 'run', entry, ...args], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  return { code, stdout, stderr }
}

/** Waits until a condition holds, polling every few ms; fails after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(5)
  }
}

export interface RawResponse {
  status: number
  /** Header names in lower case. */
  headers: Record<string, string>
  body: string
}

/**
 * Sends `request` byte for byte over a new TCP connection (no client-side URL normalization, no headers added)
 * and returns the answer, read until the server closes the connection: send `Connection: close`.
 */
export async function rawHttp(url: string, request: string | Uint8Array): Promise<RawResponse> {
  const { hostname, port } = new URL(url)
  const response = Promise.withResolvers<Buffer>()
  const chunks: Buffer[] = []
  await Bun.connect({
    hostname,
    port: Number(port),
    socket: {
      open(socket) {
        socket.write(request)
      },
      data(_, chunk) {
        chunks.push(chunk)
      },
      close() {
        response.resolve(Buffer.concat(chunks))
      },
      error(_, error) {
        response.reject(error)
      },
    },
  })
  const text = (await response.promise).toString('utf8')
  const headEnd = text.indexOf('\r\n\r\n')
  const [statusLine = '', ...headerLines] = text.slice(0, headEnd).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.slice(9, 12)), headers, body: text.slice(headEnd + 4) }
}

/** A GET request as rawHttp sends it: the target as is, a Host header, Connection: close and `headers`. */
export function rawGetRequest(url: string, target: string, headers: Record<string, string> = {}): string {
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${new URL(url).host}`, 'Connection: close']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** Sends a raw GET of `target` as is (no client-side URL normalization) and returns the answer. */
export function rawGet(url: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawHttp(url, rawGetRequest(url, target, headers))
}
