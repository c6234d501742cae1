import {
  HttpError,
  type Metrics,
  REQUEST_ID_HEADER,
  type Reversal,
  TRACE_ID_HEADER,
  type UpstreamFailureKind,
} from '@relay/service-kit'

// The call to app2 (the reverser), and how each way it can fail reaches the client:
//   unreachable -> 502, no answer in time -> 504, app2 4xx -> the same 4xx with app2's error,
//   app2 5xx -> 502, anything not shaped like a reversal of this message -> 502.

export type Fetch = (url: string, init: RequestInit) => Promise<Response>

export interface ReverserClientOptions {
  /** app2's base URL, without a trailing slash */
  baseUrl: string
  timeoutMs: number
  metrics?: Metrics
  fetch?: Fetch
}

/** An upstream failure: an HttpError for the client, with the kind counted in the metrics. */
export class UpstreamError extends HttpError {
  constructor(
    readonly kind: UpstreamFailureKind,
    status: number,
    code: string,
    message: string,
  ) {
    super(status, code, message)
  }
}

export function createReverserClient({ baseUrl, timeoutMs, metrics, fetch = globalThis.fetch }: ReverserClientOptions) {
  const sendUrl = `${baseUrl}/api2/send/`
  const timedOut = () =>
    new UpstreamError('timeout', 504, 'upstream_timeout', `The reverser did not answer within ${timeoutMs} ms`)
  const unreachable = () =>
    new UpstreamError('unreachable', 502, 'upstream_unreachable', 'The reverser cannot be reached')
  const badResponse = () =>
    new UpstreamError('bad_response', 502, 'upstream_bad_response', 'The reverser gave an answer that makes no sense')

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init)
    } catch (error) {
      // Refused: nothing was sent, so one immediate retry is safe (e.g. app2 restarting behind a balancer).
      if (isConnectionRefused(error)) return await fetch(url, init)
      throw error
    }
  }

  async function call(message: string, requestId: string, traceId: string | undefined): Promise<Reversal> {
    // The request id, and the load balancer's trace id as it arrived (the internal ALB adds its own fields and
    // keeps the Root), so that both services' logs and both ALBs' access logs share them.
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId }
    if (traceId !== undefined) headers[TRACE_ID_HEADER] = traceId
    // A fresh signal per call: it bounds connecting, both attempts and reading the body.
    const init: RequestInit = {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    }
    let response: Response
    let body: unknown
    try {
      response = await send(sendUrl + encodeURIComponent(message), init)
    } catch (error) {
      throw isTimeout(error) ? timedOut() : unreachable()
    }
    try {
      body = await response.json()
    } catch (error) {
      if (isTimeout(error)) throw timedOut()
      body = undefined // not JSON: judged by the status below
    }
    const { status } = response
    if (status === 200) {
      if (isReversalOf(body, message)) return { original: message, processed: body.processed }
      throw badResponse()
    }
    if (status >= 400 && status < 500) {
      // app2 refused the message: the client gets the same status and app2's explanation.
      if (isErrorBody(body)) throw new UpstreamError('upstream_4xx', status, body.error, body.message)
      throw new UpstreamError('upstream_4xx', status, 'upstream_rejected', 'The reverser refused the message')
    }
    if (status >= 500) {
      throw new UpstreamError('upstream_5xx', 502, 'upstream_error', 'The reverser failed to process the message')
    }
    throw badResponse()
  }

  /** traceId: the request's X-Amzn-Trace-Id, already checked by the kit's request context (or undefined). */
  return async function reverse(message: string, requestId: string, traceId?: string): Promise<Reversal> {
    const startedAt = performance.now()
    try {
      const reversal = await call(message, requestId, traceId)
      metrics?.recordUpstream(performance.now() - startedAt)
      return reversal
    } catch (error) {
      if (error instanceof UpstreamError) metrics?.recordUpstream(performance.now() - startedAt, error.kind)
      throw error
    }
  }
}

function isConnectionRefused(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ECONNREFUSED'
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError'
}

function isReversalOf(body: unknown, message: string): body is Reversal {
  const candidate = body as Partial<Reversal> | null
  return typeof candidate?.processed === 'string' && candidate.original === message
}

function isErrorBody(body: unknown): body is { error: string; message: string } {
  const candidate = body as { error?: unknown; message?: unknown } | null
  return (
    typeof candidate?.error === 'string' &&
    typeof candidate.message === 'string' &&
    candidate.error.length <= 64 &&
    candidate.message.length <= 500
  )
}
