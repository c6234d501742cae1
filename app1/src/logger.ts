// One JSON object per line on stdout, written synchronously: nothing is lost when the process exits, and a
// line costs one JSON.stringify and one write. Kept identical in app1 and app2.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export type LogFields = Record<string, unknown>
export type LogSink = (line: string) => void

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  enabled(level: LogLevel): boolean
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export interface LoggerOptions {
  service: string
  level: LogLevel
  sink?: LogSink
}

export function createLogger({ service, level, sink = console.log }: LoggerOptions): Logger {
  const threshold = RANK[level]
  const write = (lineLevel: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lineLevel] < threshold) return
    sink(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, service, msg, ...fields }))
  }
  return {
    enabled: (lineLevel) => RANK[lineLevel] >= threshold,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  }
}

/** An Error as log fields (JSON.stringify drops an Error's own fields). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: { name: error.name, message: error.message, stack: error.stack } }
  return { error: String(error) }
}
