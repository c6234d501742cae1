// A minimal HTTP/1.1 client over a plain TCP socket that sends the request-target byte for byte. `fetch` cannot
// fuzz paths: its URL parser removes dot segments and percent-encodes or rejects what it does not like.
import { createConnection } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export type RawResult = { response: RawResponse } | { noResponse: string }

export interface RawRequest {
  port: number
  target: Buffer
  /** Sends HTTP/1.0 without a Host header instead of HTTP/1.1 with one. */
  http10?: boolean
  timeoutMs: number
}

export function rawGet({ port, target, http10 = false, timeoutMs }: RawRequest): Promise<RawResult> {
  const head = http10 ? ' HTTP/1.0\r\n\r\n' : ` HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`
  const request = Buffer.concat([Buffer.from('GET '), target, Buffer.from(head)])
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(request))
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      resolve({ noResponse: `no answer within ${timeoutMs} ms` })
    })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('close', () => {
      const data = Buffer.concat(chunks)
      const response = parseResponse(data)
      resolve(
        response
          ? { response }
          : {
              noResponse: data.length
                ? `unparsable answer: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`
                : 'connection closed without an answer',
            },
      )
    })
    // A reset after a complete answer is fine; `close` follows in every case.
    socket.on('error', () => {})
  })
}

function parseResponse(data: Buffer): RawResponse | undefined {
  const headEnd = data.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const [statusLine, ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]
  if (!status) return undefined
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = data.subarray(headEnd + 4)
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body)
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']))
  return { status: Number(status), headers, body: body.toString('utf8') }
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset)
    if (lineEnd < 0) break
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16)
    if (!(size > 0)) break
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}
