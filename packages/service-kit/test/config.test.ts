import { describe, expect, test } from 'bun:test'
import { loadBaseConfig } from '../src/config'
import { ConfigError, readInteger } from '../src/env'

describe('loadBaseConfig', () => {
  test('defaults, with the port the service chose', () => {
    expect(loadBaseConfig({}, 3002)).toEqual({
      host: '0.0.0.0',
      port: 3002,
      logLevel: 'info',
      environment: 'local',
      metrics: undefined,
    })
  })

  test('reads every variable', () => {
    const env = {
      HOST: '127.0.0.1',
      PORT: '8080',
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'prod',
      METRICS_NAMESPACE: 'Relay',
      AWS_REGION: 'eu-central-1',
    }
    expect(loadBaseConfig(env, 3002)).toEqual({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'warn',
      environment: 'prod',
      metrics: { namespace: 'Relay', region: 'eu-central-1' },
    })
  })

  test('ENVIRONMENT: any stage name, so that a new stage needs no change of the kit', () => {
    expect(loadBaseConfig({ ENVIRONMENT: 'qa' }, 3002).environment).toBe('qa')
    expect(loadBaseConfig({ ENVIRONMENT: 'staging-eu2' }, 3002).environment).toBe('staging-eu2')
  })

  test.each([
    [{ HOST: 'localhost' }, 'HOST'],
    [{ HOST: '127.0.0.1:8080' }, 'HOST'],
    [{ HOST: '0.0.0.0 ' }, 'HOST'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ ENVIRONMENT: 'Prod' }, 'ENVIRONMENT'],
    [{ ENVIRONMENT: 'prod ' }, 'ENVIRONMENT'],
    [{ ENVIRONMENT: 'staging-eu-west-one' }, 'ENVIRONMENT'],
    [{ METRICS_NAMESPACE: 'AWS/EC2', AWS_REGION: 'eu-west-1' }, 'METRICS_NAMESPACE'],
    [{ METRICS_NAMESPACE: 'Relay' }, 'AWS_REGION'],
    [{ METRICS_NAMESPACE: 'Relay', AWS_REGION: 'Frankfurt' }, 'AWS_REGION'],
  ])('%p is rejected, naming %s', (env, variable) => {
    expect(() => loadBaseConfig(env, 3002)).toThrow(ConfigError)
    expect(() => loadBaseConfig(env, 3002)).toThrow(new RegExp(`^${variable} `))
  })
})

describe('readInteger', () => {
  test('an empty value is the default; bounds are inclusive', () => {
    expect(readInteger({ N: '' }, 'N', 7, 1, 10)).toBe(7)
    expect(readInteger({ N: '1' }, 'N', 7, 1, 10)).toBe(1)
    expect(readInteger({ N: '10' }, 'N', 7, 1, 10)).toBe(10)
  })

  test.each(['11', '-1', '2s', ' 5', '1e1'])('%p is refused with the range in the message', (raw) => {
    expect(() => readInteger({ N: raw }, 'N', 7, 1, 10)).toThrow(`N must be a whole number from 1 to 10, got "${raw}"`)
  })
})
