// Small helpers shared by the stack, the load generator and the scenarios (and by bench/, which imports them).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { createServer } from 'node:net'

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Milliseconds since this process started, as a float: one clock for every timestamp in a run. */
export const now = () => performance.now()

/**
 * `count` distinct ports nothing listens on, from 20000-32767 (below Linux's ephemeral range), so outgoing
 * connections do not take them meanwhile. Another program could still bind one before the caller does; the
 * caller starts its servers right after.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>()
  for (let attempt = 0; ports.size < count; attempt++) {
    if (attempt >= 1000) throw new Error('no free port found in 20000-32767')
    const port = 20000 + Math.floor(Math.random() * 12768)
    if (!ports.has(port) && (await canListen(port))) ports.add(port)
  }
  return [...ports]
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** Polls `condition` every `intervalMs` until it returns true; throws `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = now() + timeoutMs
  while (!(await condition())) {
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}

/** True when `url` answers 2xx within one second. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

export function percentile(sortedValues: number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN
  const index = Math.min(sortedValues.length - 1, Math.ceil((p / 100) * sortedValues.length) - 1)
  return sortedValues[Math.max(0, index)]
}

export const ms = (value: number) => `${value.toFixed(1)} ms`

/** Runs `task` over `items` with at most `limit` running at once; results keep the order of `items`. */
export async function mapConcurrently<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * The last `count` lines of a text file, read from its end: a log of hundreds of MB costs only what the lines
 * take. Missing file: no lines.
 */
export function lastLines(path: string, count: number): string[] {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return []
  }
  try {
    const chunks: Buffer[] = []
    let newlines = 0
    let end = fstatSync(fd).size
    // One newline more than lines wanted: the text before it is cut off; a final newline ends the last line.
    while (end > 0 && newlines <= count) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, end))
      end -= chunk.length
      readSync(fd, chunk, 0, chunk.length, end)
      chunks.unshift(chunk)
      for (const byte of chunk) if (byte === 0x0a) newlines++
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n')
    if (lines.at(-1) === '') lines.pop()
    return lines.slice(-count)
  } finally {
    closeSync(fd)
  }
}
