import { describe, expect, test } from 'bun:test'
import { createReverserClient, type Fetch, UpstreamError } from '../src/reverser-client'

// Which failures are retried, counted through a fetch that records its calls.

const refused = () => Object.assign(new TypeError('Unable to connect'), { code: 'ECONNREFUSED' })
const reset = () => Object.assign(new TypeError('socket closed'), { code: 'ECONNRESET' })
const timeout = () => new DOMException('The operation timed out.', 'TimeoutError')
const ok = (message: string) => Response.json({ original: message, processed: 'olleh' })

function recordingFetch(outcomes: (() => Response | Error)[]) {
  const signals: AbortSignal[] = []
  const fetch: Fetch = async (_, init) => {
    if (init.signal) signals.push(init.signal)
    const outcome = outcomes[Math.min(signals.length - 1, outcomes.length - 1)]?.()
    if (outcome instanceof Error) throw outcome
    if (!outcome) throw new Error('no outcome')
    return outcome
  }
  return { fetch, signals }
}

const client = (fetch: Fetch) => createReverserClient({ baseUrl: 'http://app2', timeoutMs: 1000, fetch })

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${error}`)
  return error
}

describe('retry', () => {
  test('a refused connection is retried once, and the retry can succeed', async () => {
    const { fetch, signals } = recordingFetch([refused, () => ok('hello')])
    expect(await client(fetch)('hello', 'id')).toEqual({ original: 'hello', processed: 'olleh' })
    expect(signals).toHaveLength(2)
  })

  test('exactly one retry: refused twice is a 502 unreachable', async () => {
    const { fetch, signals } = recordingFetch([refused, refused, () => ok('hello')])
    const error = await failureOf(client(fetch)('hello', 'id'))
    expect([error.status, error.code, error.kind]).toEqual([502, 'upstream_unreachable', 'unreachable'])
    expect(signals).toHaveLength(2)
  })

  test('other connection errors are not retried (the request may have been sent)', async () => {
    const { fetch, signals } = recordingFetch([reset, () => ok('hello')])
    expect((await failureOf(client(fetch)('hello', 'id'))).kind).toBe('unreachable')
    expect(signals).toHaveLength(1)
  })

  test('a timeout is a 504 and is not retried', async () => {
    const { fetch, signals } = recordingFetch([timeout, () => ok('hello')])
    const error = await failureOf(client(fetch)('hello', 'id'))
    expect([error.status, error.code, error.kind]).toEqual([504, 'upstream_timeout', 'timeout'])
    expect(signals).toHaveLength(1)
  })
})

test('every call gets a fresh, unexpired timeout signal', async () => {
  const { fetch, signals } = recordingFetch([() => ok('a')])
  const reverse = client(fetch)
  await reverse('a', 'id')
  await reverse('a', 'id')
  expect(signals).toHaveLength(2)
  expect(signals[0]).not.toBe(signals[1])
  expect(signals[1]?.aborted).toBe(false)
})
