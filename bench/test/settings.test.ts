import { describe, expect, test } from 'bun:test'
import { readSettings } from '../src/settings'

describe('readSettings', () => {
  test('defaults: 15 s over 3 rounds of 5 s, 5 s warm-up, 64 connections, 1 thread, logs and metrics on', () => {
    expect(readSettings({})).toEqual({
      durationS: 15,
      rounds: 3,
      roundS: 5,
      warmupS: 5,
      connections: 64,
      threads: 1,
      logLevel: 'info',
      metricsNamespace: 'Relay',
    })
  })

  test('a round lasts the whole seconds of the duration split over the rounds, at least 1', () => {
    expect(readSettings({ BENCH_DURATION: '10', BENCH_ROUNDS: '3' }).roundS).toBe(3)
    expect(readSettings({ BENCH_DURATION: '2', BENCH_ROUNDS: '5' }).roundS).toBe(1)
  })

  test('an empty BENCH_METRICS_NAMESPACE turns metrics off; an empty number or log level means the default', () => {
    const settings = readSettings({ BENCH_METRICS_NAMESPACE: '', BENCH_DURATION: '', BENCH_LOG_LEVEL: '' })
    expect(settings).toMatchObject({ metricsNamespace: '', durationS: 15, logLevel: 'info' })
  })

  test.each(['abc', '0', '-1', '1.5', ' 3'])('refuses BENCH_ROUNDS=%p with the name of the variable', (value) => {
    expect(() => readSettings({ BENCH_ROUNDS: value })).toThrow(`BENCH_ROUNDS must be a whole number above 0`)
  })

  test('refuses fewer connections than wrk threads', () => {
    expect(() => readSettings({ BENCH_CONNECTIONS: '2', BENCH_THREADS: '4' })).toThrow('at least BENCH_THREADS')
  })
})
