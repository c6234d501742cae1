// Runs the real relay-app-container script against a fake docker CLI (fixtures/fake-docker records its
// calls) and a local IMDSv2 stand-in on 127.0.0.1, and asserts what the script asks Docker to do.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const script = resolve(import.meta.dir, '..', 'files', 'relay-app-container')
const fakeDocker = resolve(import.meta.dir, 'fixtures', 'fake-docker')
const instanceId = 'i-0123456789abcdef0'
const imdsToken = 'test-token'
const image = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:0123456789abcdef0123456789abcdef01234567'

// IMDSv2: a PUT hands out a session token; metadata is served only to requests that present it.
let imds: ReturnType<typeof Bun.serve>
beforeAll(() => {
  imds = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url)
      if (pathname === '/latest/api/token' && request.method === 'PUT') {
        return request.headers.has('x-aws-ec2-metadata-token-ttl-seconds')
          ? new Response(imdsToken)
          : new Response('missing TTL', { status: 400 })
      }
      if (request.headers.get('x-aws-ec2-metadata-token') !== imdsToken) {
        return new Response('unauthorized', { status: 401 })
      }
      if (pathname === '/latest/meta-data/instance-id') return new Response(instanceId)
      return new Response('not found', { status: 404 })
    },
  })
})
afterAll(() => imds.stop(true))

const settings = {
  IMAGE: image,
  SERVICE_NAME: 'app1',
  CONTAINER_PORT: '8080',
  LOG_GROUP: '/relay/dev/app1',
  AWS_REGION: 'eu-central-1',
}

interface Run {
  exitCode: number
  stderr: string
  calls: string[][]
}

async function runScript(command: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-app-container-'))
  const log = join(dir, 'docker-calls')
  const appEnv = join(dir, 'app.env')
  writeFileSync(appEnv, 'APP2_URL=http://internal-alb\n')
  const fullEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    DOCKER: fakeDocker,
    FAKE_DOCKER_LOG: log,
    IMDS_ENDPOINT: `http://127.0.0.1:${imds.port}`,
    RELAY_APP_ENV: appEnv,
    RELAY_RUNTIME_ENV: join(dir, 'absent-runtime.env'),
    RELAY_PULL_BACKOFF_SECONDS: '1',
    ...settings,
    ...env,
  }
  const definedEnv = Object.fromEntries(
    Object.entries(fullEnv).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  // Asynchronous, so that this process's IMDS stand-in can answer the script's curl calls meanwhile.
  const child = Bun.spawn(['bash', script, command], { env: definedEnv, stdout: 'ignore', stderr: 'pipe' })
  const [exitCode, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()])
  const recorded = existsSync(log) ? readFileSync(log, 'utf8') : ''
  const calls = recorded
    .split('--\n')
    .filter((call) => call !== '')
    .map((call) => call.trimEnd().split('\n'))
  return { exitCode, stderr, calls }
}

const verbs = (calls: string[][]) => calls.map((call) => call.slice(0, 2).join(' '))
const runCall = (calls: string[][]) => calls.find((call) => call[0] === 'run')

/** The value following each occurrence of flag, e.g. every --log-opt. */
function flagValues(call: string[], flag: string): string[] {
  return call.flatMap((arg, i) => (arg === flag ? [call[i + 1]] : []))
}

describe('relay-app-container run', () => {
  test('pulls the image, then runs it hardened on the host network with awslogs', async () => {
    const { exitCode, calls } = await runScript('run')
    expect(exitCode).toBe(0)
    expect(verbs(calls)).toEqual(['pull --quiet', 'container inspect', 'container inspect', `run --rm`])
    expect(calls[0]).toEqual(['pull', '--quiet', image])

    const run = runCall(calls) as string[]
    expect(run.at(-1)).toBe(image)
    expect(flagValues(run, '--name')).toEqual(['relay-app'])
    expect(flagValues(run, '--network')).toEqual(['host'])
    expect(run).toContain('--read-only')
    expect(flagValues(run, '--security-opt')).toEqual(['no-new-privileges'])
    expect(flagValues(run, '--cap-drop')).toEqual(['ALL'])
    expect(flagValues(run, '--env')).toEqual(['PORT=8080'])
    expect(flagValues(run, '--env-file')).toHaveLength(1)
    expect(flagValues(run, '--log-driver')).toEqual(['awslogs'])
    expect(flagValues(run, '--log-opt')).toEqual(
      expect.arrayContaining([
        'awslogs-region=eu-central-1',
        'awslogs-group=/relay/dev/app1',
        `awslogs-stream=${instanceId}/app1`,
      ]),
    )
  })

  test('reads settings from the runtime env file when the environment has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-runtime-'))
    const runtimeEnv = join(dir, 'runtime.env')
    writeFileSync(
      runtimeEnv,
      `${Object.entries({ ...settings, SERVICE_NAME: 'app2', LOG_GROUP: '/relay/dev/app2' })
        .map(([key, value]) => `${key}=${value}`)
        .join('\n')}\n`,
    )
    const unset = Object.fromEntries(Object.keys(settings).map((key) => [key, undefined]))
    const { exitCode, calls } = await runScript('run', { ...unset, RELAY_RUNTIME_ENV: runtimeEnv })
    expect(exitCode).toBe(0)
    expect(flagValues(runCall(calls) as string[], '--log-opt')).toContain(`awslogs-stream=${instanceId}/app2`)
  })

  test('retries a failing pull with doubling delays, then runs', async () => {
    const { exitCode, stderr, calls } = await runScript('run', { FAKE_DOCKER_PULL_FAILURES: '2' })
    expect(exitCode).toBe(0)
    expect(calls.filter((call) => call[0] === 'pull')).toHaveLength(3)
    expect(stderr).toContain('attempt 1 of 6), retrying in 1s')
    expect(stderr).toContain('attempt 2 of 6), retrying in 2s')
    expect(runCall(calls)).toBeDefined()
  })

  test('gives up after the last pull attempt without running anything', async () => {
    const { exitCode, stderr, calls } = await runScript('run', {
      FAKE_DOCKER_PULL_FAILURES: '99',
      RELAY_PULL_ATTEMPTS: '2',
    })
    expect(exitCode).not.toBe(0)
    expect(calls.filter((call) => call[0] === 'pull')).toHaveLength(2)
    expect(stderr).toContain('failed 2 times')
    expect(runCall(calls)).toBeUndefined()
  })

  test('stops a container left behind before starting a new one', async () => {
    const { exitCode, calls } = await runScript('run', { FAKE_DOCKER_CONTAINER_EXISTS: '1' })
    expect(exitCode).toBe(0)
    expect(verbs(calls)).toEqual([
      'pull --quiet',
      'container inspect',
      'stop --time',
      'container inspect',
      'rm --force',
      'run --rm',
    ])
  })

  test('fails without calling Docker when the instance metadata service is unreachable', async () => {
    const { exitCode, stderr, calls } = await runScript('run', { IMDS_ENDPOINT: 'http://127.0.0.1:9' })
    expect(exitCode).not.toBe(0)
    expect(stderr).toContain('cannot read the instance ID')
    expect(calls).toEqual([])
  })

  for (const name of Object.keys(settings)) {
    test(`refuses to start without ${name}`, async () => {
      const { exitCode, stderr, calls } = await runScript('run', { [name]: '' })
      expect(exitCode).not.toBe(0)
      expect(stderr).toContain(`${name} is not set`)
      expect(calls).toEqual([])
    })
  }

  test('refuses to start without the app env file', async () => {
    const { exitCode, stderr, calls } = await runScript('run', { RELAY_APP_ENV: '/nonexistent/app.env' })
    expect(exitCode).not.toBe(0)
    expect(stderr).toContain('/nonexistent/app.env is missing')
    expect(calls).toEqual([])
  })

  for (const mutable of ['registry.example/relay/app1:latest', 'registry.example/relay/app1', 'localhost:5000/app1']) {
    test(`refuses the mutable image reference ${mutable}`, async () => {
      const { exitCode, calls } = await runScript('run', { IMAGE: mutable })
      expect(exitCode).not.toBe(0)
      expect(calls).toEqual([])
    })
  }

  test('accepts an image pinned by digest', async () => {
    const pinned = `registry.example/relay/app1@sha256:${'a'.repeat(64)}`
    const { exitCode, calls } = await runScript('run', { IMAGE: pinned })
    expect(exitCode).toBe(0)
    expect(runCall(calls)?.at(-1)).toBe(pinned)
  })
})

describe('relay-app-container stop', () => {
  test('sends SIGTERM through docker stop with a 30 s grace period', async () => {
    const { exitCode, calls } = await runScript('stop', { FAKE_DOCKER_CONTAINER_EXISTS: '1' })
    expect(exitCode).toBe(0)
    expect(calls.at(-1)).toEqual(['stop', '--time', '30', 'relay-app'])
  })

  test('does nothing when no container runs', async () => {
    const { exitCode, calls } = await runScript('stop')
    expect(exitCode).toBe(0)
    expect(calls.filter((call) => call[0] === 'stop')).toEqual([])
  })
})
