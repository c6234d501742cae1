import { describe, expect, test } from 'bun:test'
import { ConfigError } from '@relay/service-kit'
import { loadConfig } from '../src/config'

// app1's own variables; those of every service (PORT, LOG_LEVEL, ...) are tested in packages/service-kit.

const APP2_URL = 'http://127.0.0.1:3002'

describe('loadConfig', () => {
  test('defaults', () => {
    expect(loadConfig({ APP2_URL })).toEqual({
      host: '0.0.0.0',
      port: 3001,
      logLevel: 'info',
      environment: 'local',
      metrics: undefined,
      app2Url: APP2_URL,
      app2TimeoutMs: 2000,
    })
  })

  test('reads every variable; a trailing slash on APP2_URL is dropped', () => {
    const env = {
      HOST: '127.0.0.1',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      ENVIRONMENT: 'staging',
      METRICS_NAMESPACE: 'Relay',
      AWS_REGION: 'us-east-1',
      APP2_URL: 'http://internal-relay-app2.example.com/',
      APP2_TIMEOUT_MS: '750',
    }
    expect(loadConfig(env)).toEqual({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'debug',
      environment: 'staging',
      metrics: { namespace: 'Relay', region: 'us-east-1' },
      app2Url: 'http://internal-relay-app2.example.com',
      app2TimeoutMs: 750,
    })
  })

  test.each([
    [{}, 'APP2_URL'],
    [{ APP2_URL: 'app2:3002' }, 'APP2_URL'],
    [{ APP2_URL: 'not a url' }, 'APP2_URL'],
    [{ APP2_URL: 'http://user:secret@app2' }, 'APP2_URL'],
    [{ APP2_URL: 'http://app2/?q=1' }, 'APP2_URL'],
    [{ APP2_URL, APP2_TIMEOUT_MS: '-1' }, 'APP2_TIMEOUT_MS'],
    [{ APP2_URL, APP2_TIMEOUT_MS: '2s' }, 'APP2_TIMEOUT_MS'],
  ])('%p is rejected, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `))
  })
})
