import { describe, expect, test } from 'bun:test'
import { ConfigError, loadConfig } from '../src/config'

describe('loadConfig', () => {
  test('defaults', () => {
    expect(loadConfig({})).toEqual({ port: 3002, logLevel: 'info', environment: 'local', metrics: undefined })
  })

  test('reads every variable', () => {
    const env = {
      PORT: '8080',
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'prod',
      METRICS_NAMESPACE: 'Relay',
      AWS_REGION: 'eu-central-1',
    }
    expect(loadConfig(env)).toEqual({
      port: 8080,
      logLevel: 'warn',
      environment: 'prod',
      metrics: { namespace: 'Relay', region: 'eu-central-1' },
    })
  })

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ ENVIRONMENT: 'production' }, 'ENVIRONMENT'],
    [{ METRICS_NAMESPACE: 'AWS/EC2', AWS_REGION: 'eu-west-1' }, 'METRICS_NAMESPACE'],
    [{ METRICS_NAMESPACE: 'Relay' }, 'AWS_REGION'],
    [{ METRICS_NAMESPACE: 'Relay', AWS_REGION: 'Frankfurt' }, 'AWS_REGION'],
  ])('%p is rejected, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `))
  })
})
