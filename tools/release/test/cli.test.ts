import { describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../src/main'
import { FakeStage, mutating, sha } from './fake-aws'

const main_ts = join(import.meta.dir, '..', 'src', 'main.ts')

// A machine without AWS credentials: an empty home (no ~/.aws), no AWS variables, and no instance metadata service
// to ask, so that the SDK's credential chain ends at once with CredentialsProviderError.
const home = mkdtempSync(join(tmpdir(), 'release-cli-'))
const bare = { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true' }

async function cli(args: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn(['bun', main_ts, ...args], { env: { ...bare, ...env }, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  return { code, stdout, stderr }
}

describe('the command line, as a process', () => {
  const region = { AWS_REGION: 'eu-west-1' }

  test.each([
    { args: 'release --stage nope --tag SHA', says: 'error: unknown stage "nope" (dev, prod, staging)' },
    { args: 'release --tag SHA', says: 'error: no stage: give --stage dev|prod|staging' },
    {
      args: 'release --stage dev --tag latest',
      says: 'error: tag: "latest" is refused: name an immutable image (the full commit SHA or the digest)',
    },
    {
      args: 'release --stage dev --app1 abc123 --app2 SHA',
      says: 'error: app1 tag: "abc123" is neither a full 40-character lowercase commit SHA nor sha256:<64 hex>',
    },
    {
      args: 'release --stage dev --app1 SHA',
      says: 'error: no tag for app2: give --app1 and --app2, or --tag for both',
    },
    {
      args: 'release --stage dev --tag SHA --app1 SHA',
      says: 'error: give either --tag (both services) or --app1 and --app2, not both',
    },
    {
      args: 'rollback --stage dev --tag SHA',
      says: 'error: rollback takes no tags: it releases the tags recorded before the last release',
    },
    { args: 'deploy --stage dev', says: 'error: unknown command "deploy" (release or rollback)' },
    { args: 'release --stage dev --tag SHA --force', says: 'error: unknown option --force; see --help' },
    { args: 'release --stage', says: "error: Option '--stage <value>' argument missing; see --help" },
  ])('$args is refused with exit 2 and one line', async ({ args, says }) => {
    // SHA stands for a valid tag.
    const { code, stdout, stderr } = await cli(args.replaceAll('SHA', sha('a')).split(' '), region)
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${says}\n` })
  })

  test('needs AWS_REGION', async () => {
    const { code, stderr } = await cli(['release', '--stage', 'prod', '--tag', sha('a')])
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: 'error: AWS_REGION is not set: set it to the region of the prod stage, e.g. eu-west-1\n',
    })
  })

  test('without AWS credentials, stops at the first AWS call and changes nothing', async () => {
    const { code, stdout, stderr } = await cli(['release', '--stage', 'dev', '--tag', sha('a')], region)
    expect(code).toBe(2)
    expect(stdout).toBe('Checking the images in ECR (eu-west-1)\n')
    expect(stderr).toStartWith('error: no valid AWS credentials (CredentialsProviderError: ')
    expect(stderr).toEndWith(
      'log in first (aws sso login, AWS_PROFILE or access key variables) (nothing was changed)\n',
    )
    expect(stderr.split('\n')).toHaveLength(2)
  })

  test('Ctrl-C while waiting for AWS: stops at once, says nothing changed, exits 130', async () => {
    // An AWS endpoint that takes requests and never answers (AWS_ENDPOINT_URL is the SDKs' own setting).
    let asked: () => void = () => {}
    const request = new Promise<void>((resolve) => {
      asked = resolve
    })
    const silent = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: () => {
        asked()
        return new Promise<Response>(() => {})
      },
    })
    try {
      const child = Bun.spawn(['bun', main_ts, 'release', '--stage', 'dev', '--tag', sha('a')], {
        env: {
          ...bare,
          ...region,
          AWS_ENDPOINT_URL: `http://127.0.0.1:${silent.port}`,
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
        stdout: 'pipe',
        stderr: 'pipe',
      })
      await request
      child.kill('SIGINT')
      const [stdout, stderr, code] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
        child.exited,
      ])
      expect({ code, stdout, stderr }).toEqual({
        code: 130,
        stdout: 'Checking the images in ECR (eu-west-1)\n',
        stderr: 'Interrupted before any change: nothing was changed.\n',
      })
    } finally {
      silent.stop(true)
    }
  })

  test('--help prints the usage', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('usage: release --stage <stage>')
  })
})

describe('the command line, wired to a scripted stage', () => {
  function run(args: string[]) {
    const fake = new FakeStage({ running: { app1: sha('1'), app2: sha('2') }, pushed: [sha('c')] })
    const lines: string[] = []
    const output = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) }
    const regions: string[] = []
    const clients = (region: string) => {
      regions.push(region)
      return fake.clients()
    }
    return { fake, lines, regions, code: main(args, { AWS_REGION: 'eu-west-2' }, output, { clients }) }
  }

  test('--tag releases the same tag to both services, with clients of AWS_REGION; --dry-run sends no change', async () => {
    const { fake, lines, regions, code } = run(['release', '--stage', 'dev', '--tag', sha('c'), '--dry-run'])
    expect(await code).toBe(0)
    expect(regions).toEqual(['eu-west-2'])
    expect(fake.sent('DescribeImages').map((input) => input.imageIds)).toEqual([
      [{ imageTag: sha('c') }],
      [{ imageTag: sha('c') }],
    ])
    expect(fake.operations().filter((operation) => mutating.has(operation))).toEqual([])
    expect(lines.filter((line) => line.includes('[dry run, not sent]'))).toHaveLength(6)
  })

  test('rollback reads the recorded history first', async () => {
    const { fake, code } = run(['rollback', '--stage', 'staging'])
    expect(await code).toBe(2)
    expect(fake.operations()).toEqual(['GetParameterHistory'])
    expect(fake.sent('GetParameterHistory')[0]?.Name).toBe('/relay/staging/app2/image-tag')
  })
})
