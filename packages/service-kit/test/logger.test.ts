import { afterAll, afterEach, describe, expect, spyOn, test } from 'bun:test'
import { createLogger, stdoutSink } from '../src/logger'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('logger', () => {
  const consoleLog = spyOn(console, 'log').mockImplementation(() => {})
  afterEach(() => consoleLog.mockClear())
  afterAll(() => consoleLog.mockRestore())

  test('one JSON object per line with time, level, service, message and fields', () => {
    const lines: string[] = []
    createLogger({ service: 'app', level: 'info', sink: (line) => lines.push(line) }).info('hello', { a: 1 })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      service: 'app',
      msg: 'hello',
      a: 1,
    })
  })

  test('LOG_LEVEL is respected', () => {
    const lines: string[] = []
    const logger = createLogger({ service: 'app', level: 'warn', sink: (line) => lines.push(line) })
    logger.debug('no')
    logger.info('no')
    logger.warn('yes')
    logger.error('yes')
    expect(lines.map((line) => JSON.parse(line).level)).toEqual(['warn', 'error'])
    expect([logger.enabled('info'), logger.enabled('warn')]).toEqual([false, true])
  })

  test('stdout: the lines of one event-loop turn go out in one write, in order, at the end of the turn', async () => {
    stdoutSink('{"n":1}')
    stdoutSink('{"n":2}')
    expect(consoleLog).not.toHaveBeenCalled()
    await nextTurn()
    expect(consoleLog.mock.calls).toEqual([['{"n":1}\n{"n":2}']])
  })

  test('stdout: a burst is written at once when it reaches 64 KiB', async () => {
    stdoutSink('x'.repeat(64 * 1024))
    expect(consoleLog).toHaveBeenCalledTimes(1)
    await nextTurn()
    expect(consoleLog).toHaveBeenCalledTimes(1)
  })
})
