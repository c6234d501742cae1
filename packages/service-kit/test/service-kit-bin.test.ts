import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import kit from '../package.json'

// `service-kit dockerfile` and `service-kit check`, run as a service's package.json scripts run them: in the
// service's folder.

const BIN = `${import.meta.dir}/../bin/service-kit.ts`
const IMAGE = { executable: 'demo', title: 'relay demo (test)', description: 'A service for the tests of the kit' }

// A repository with .bun-version at its root and the service in a folder of it, as in relay.
const BUN_VERSION = '1.4.5'
let root: string
let dir: string
beforeEach(async () => {
  root = mkdtempSync(`${tmpdir()}/service-kit-bin-`)
  dir = `${root}/service`
  mkdirSync(dir)
  await Bun.write(`${root}/.bun-version`, `${BUN_VERSION}\n`)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

async function serviceKit(...args: string[]) {
  const proc = Bun.spawn(['bun', BIN, ...args], { cwd: dir, stdout: 'pipe', stderr: 'pipe' })
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  return { code, stdout, stderr }
}

/** A service folder as `bun install` leaves it: package.json, and a bun.lock that records the kit's. */
async function writeService({
  kitPath = '../packages/service-kit',
  versions = kit.peerDependencies,
  image = {},
  scripts = { build: 'bun build --compile --sourcemap src/index.ts --outfile dist/demo' } as Record<string, string>,
} = {}) {
  const spec = `file:${kitPath}`
  await Bun.write(
    `${dir}/package.json`,
    JSON.stringify({
      dependencies: { '@relay/service-kit': spec, ...versions },
      scripts,
      image: { ...IMAGE, ...image },
    }),
  )
  const recorded = { dependencies: kit.dependencies, peerDependencies: kit.peerDependencies, bin: kit.bin }
  await Bun.write(
    `${dir}/bun.lock`,
    JSON.stringify({
      lockfileVersion: 1,
      packages: { '@relay/service-kit': [`@relay/service-kit@${spec}`, recorded] },
    }),
  )
}

const dockerfile = () => Bun.file(`${dir}/Dockerfile`).text()

describe('service-kit dockerfile', () => {
  test('a kit outside the folder comes from the named build context, copied to where file: points', async () => {
    await writeService()
    expect(await serviceKit('dockerfile')).toMatchObject({ code: 0 })
    const text = await dockerfile()
    expect(text).toStartWith('# syntax=docker/dockerfile:1\n')
    expect(text).toContain(
      '# relay demo (test). Build from this folder:\n' +
        '#   docker build --build-context service-kit=../packages/service-kit -t relay/demo .\n',
    )
    expect(text).toContain('Generated from @relay/service-kit')
    expect(text).toContain('COPY --from=service-kit package.json tsconfig.base.json /packages/service-kit/\n')
    expect(text).toContain('COPY --from=service-kit src /packages/service-kit/src\n')
    expect(text).toContain(`FROM --platform=$BUILDPLATFORM oven/bun:${BUN_VERSION} AS build\n`)
    expect(text).toContain('--outfile /out/demo\n')
    expect(text).toContain('org.opencontainers.image.title="relay demo (test)"')
    expect(text).toContain('org.opencontainers.image.description="A service for the tests of the kit"')
    expect(text).toContain('ENTRYPOINT ["/app/demo"]')
    expect(text).not.toContain('{{')
    // the kit is in place before the install that copies it
    expect(text.indexOf('COPY --from=service-kit src')).toBeLessThan(text.indexOf('RUN bun install'))
  })

  test('a kit inside the folder (vendored) is copied from the build context itself', async () => {
    await writeService({ kitPath: './vendor/service-kit/' })
    await serviceKit('dockerfile')
    const text = await dockerfile()
    expect(text).toContain('Build from this folder:\n#   docker build -t relay/demo .\n')
    expect(text).toContain(
      'COPY vendor/service-kit/package.json vendor/service-kit/tsconfig.base.json ./vendor/service-kit/\n',
    )
    expect(text).toContain('COPY vendor/service-kit/src ./vendor/service-kit/src\n')
    expect(text).not.toContain('--from=service-kit')
  })

  test('the Bun version comes from the nearest .bun-version: in the folder, else above it', async () => {
    await writeService()
    await Bun.write(`${dir}/.bun-version`, '1.3.9\n')
    await serviceKit('dockerfile')
    expect(await dockerfile()).toContain('FROM --platform=$BUILDPLATFORM oven/bun:1.3.9 AS build\n')
  })

  test.each([
    ['none', undefined, 'no .bun-version in'],
    ['not a release', 'latest\n', '.bun-version: "latest" is not a Bun release such as 1.4.5'],
  ])('.bun-version %s: exit 1, no Dockerfile', async (_label, content, message) => {
    await writeService()
    rmSync(`${root}/.bun-version`)
    if (content !== undefined) await Bun.write(`${dir}/.bun-version`, content)
    const { code, stderr } = await serviceKit('dockerfile')
    expect(code).toBe(1)
    expect(stderr).toContain(message)
    expect(await Bun.file(`${dir}/Dockerfile`).exists()).toBe(false)
  })

  test.each([
    [{ executable: 'Demo App' }, 'image.executable'],
    [{ title: 'say "hi"' }, 'image.title'],
    [{ description: 'costs $5' }, 'image.description'],
  ])('refuses image fields that do not fit a Dockerfile: %p', async (image, field) => {
    await writeService({ image })
    const { code, stderr } = await serviceKit('dockerfile')
    expect(code).toBe(1)
    expect(stderr).toContain(field)
    expect(await Bun.file(`${dir}/Dockerfile`).exists()).toBe(false)
  })

  // The compile step as the image build runs it (sh -c, TARGETARCH from the builder), with a `bun` that prints
  // its arguments: which executable each platform gets.
  async function compileStep(targetArch: string | undefined) {
    await writeService()
    await serviceKit('dockerfile')
    const run = (await dockerfile()).match(/^RUN (case .*?--outfile \S+)$/ms)?.[1]
    if (!run) throw new Error('no compile step in the Dockerfile')
    mkdirSync(`${dir}/bin`)
    await Bun.write(`${dir}/bin/bun`, '#!/bin/sh\necho "bun $*"\n')
    chmodSync(`${dir}/bin/bun`, 0o755)
    const env: Record<string, string> = { PATH: `${dir}/bin:/usr/bin:/bin` }
    if (targetArch !== undefined) env.TARGETARCH = targetArch
    const proc = Bun.spawnSync(['sh', '-c', run.replaceAll('\\\n', '\n')], { env, stdout: 'pipe', stderr: 'pipe' })
    return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() }
  }

  test.each([
    ['amd64', 'amd64', 'bun run build --target=bun-linux-x64 --outfile /out/demo\n'],
    ['arm64', 'arm64', 'bun run build --target=bun-linux-arm64 --outfile /out/demo\n'],
    ['unset (the machine that builds)', undefined, 'bun run build --outfile /out/demo\n'],
  ])('TARGETARCH %s: `bun run build` for that architecture', async (_label, targetArch, command) => {
    expect(await compileStep(targetArch)).toEqual({ code: 0, stdout: command, stderr: '' })
  })

  test('another TARGETARCH fails the build with a message', async () => {
    const { code, stdout, stderr } = await compileStep('s390x')
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe('no Bun executable for TARGETARCH=s390x: amd64 or arm64\n')
  })

  test('an unknown command prints the usage and exits 2', async () => {
    await writeService()
    expect(await serviceKit('render')).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') })
  })
})

describe('service-kit check', () => {
  test('passes when the Dockerfile, the framework versions and bun.lock agree with the kit', async () => {
    await writeService()
    await serviceKit('dockerfile')
    expect(await serviceKit('check')).toMatchObject({ code: 0 })
  })

  test('fails when the Dockerfile was edited by hand, or is missing', async () => {
    await writeService()
    await serviceKit('dockerfile')
    await Bun.write(`${dir}/Dockerfile`, (await dockerfile()).replace('EXPOSE 8080', 'EXPOSE 9090'))
    const edited = await serviceKit('check')
    expect(edited.code).toBe(1)
    expect(edited.stderr).toContain('run `bun run dockerfile`')
    rmSync(`${dir}/Dockerfile`)
    expect((await serviceKit('check')).code).toBe(1)
  })

  test.each([
    ['.bun-version changed', '1.4.5', '1.4.6'],
    ["the Dockerfile's base image was updated (Dependabot)", '1.4.6', '1.4.5'],
  ])('fails when the Dockerfile builds with another Bun than .bun-version: %s', async (_label, built, pinned) => {
    await writeService()
    await Bun.write(`${root}/.bun-version`, built)
    await serviceKit('dockerfile')
    await Bun.write(`${root}/.bun-version`, pinned)
    const { code, stderr } = await serviceKit('check')
    expect(code).toBe(1)
    expect(stderr).toContain(`Dockerfile builds with oven/bun:${built}, .bun-version says ${pinned}`)
    expect(stderr).toContain(`after writing ${built} to .bun-version`)
  })

  test('fails when the service has no `bun build --compile` build script, which the Dockerfile runs', async () => {
    await writeService({ scripts: {} })
    await serviceKit('dockerfile')
    const { code, stderr } = await serviceKit('check')
    expect(code).toBe(1)
    expect(stderr).toContain('scripts.build must be `bun build --compile ...`')
  })

  test('fails when the service pins another framework version than the kit is tested with', async () => {
    await writeService({ versions: { ...kit.peerDependencies, elysia: '1.4.0' } })
    await serviceKit('dockerfile')
    const { code, stderr } = await serviceKit('check')
    expect(code).toBe(1)
    expect(stderr).toContain(`elysia is 1.4.0, the kit is tested with ${kit.peerDependencies.elysia}`)
  })

  test("fails when bun.lock records an older package.json of the kit (Bun's frozen install only warns)", async () => {
    await writeService()
    await serviceKit('dockerfile')
    const lock = await Bun.file(`${dir}/bun.lock`).json()
    lock.packages['@relay/service-kit'][1].peerDependencies.elysia = '1.4.0'
    await Bun.write(`${dir}/bun.lock`, JSON.stringify(lock))
    const { code, stderr } = await serviceKit('check')
    expect(code).toBe(1)
    expect(stderr).toContain('bun.lock records an older package.json of the kit')
  })
})
