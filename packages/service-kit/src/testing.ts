import { expect } from 'bun:test'
import type { Subprocess } from 'bun'
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
export async function expectErrorBody(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toStartWith('application/json')
  const body = await response.json()
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

/** Sends a raw HTTP/1.1 request line as is (no client-side URL normalization) and returns status + body. */
export async function rawGet(url: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url)
  const response = Promise.withResolvers<string>()
  let received = ''
  await Bun.connect({
    hostname,
    port: Number(port),
    socket: {
      open(socket) {
        socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`)
      },
      data(_, chunk) {
        received += chunk.toString()
      },
      close() {
        response.resolve(received)
      },
      error(_, error) {
        response.reject(error)
      },
    },
  })
  const text = await response.promise
  const status = Number(text.slice(9, 12))
  return { status, body: text.slice(text.indexOf('\r\n\r\n') + 4) }
}
