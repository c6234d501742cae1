import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { freePort } from '../src/testing'

// The service as the image runs it: one executable made by `bun build --compile` with the flags of the apps'
// build scripts (no --minify, see README), started where no node_modules exists. Swagger UI's files must be
// inside the executable.

const KIT_DIR = `${import.meta.dir}/..`
const SWAGGER_UI_DIST = `${KIT_DIR}/node_modules/swagger-ui-dist`
let dir: string
let server: ReturnType<typeof Bun.spawn> | undefined
let url: string

beforeAll(async () => {
  // A copy of the kit whose swagger-ui-dist is a real copy (the other packages are links), removed after the
  // build: the executable cannot read the files from there, only from itself.
  dir = mkdtempSync(`${tmpdir()}/service-kit-compiled-`)
  cpSync(`${KIT_DIR}/src`, `${dir}/src`, { recursive: true })
  cpSync(`${KIT_DIR}/test/fixtures`, `${dir}/test/fixtures`, { recursive: true })
  mkdirSync(`${dir}/node_modules`)
  for (const name of readdirSync(`${KIT_DIR}/node_modules`)) {
    if (name !== 'swagger-ui-dist') symlinkSync(`${KIT_DIR}/node_modules/${name}`, `${dir}/node_modules/${name}`)
  }
  cpSync(SWAGGER_UI_DIST, `${dir}/node_modules/swagger-ui-dist`, { recursive: true })
  const build = Bun.spawnSync(
    ['bun', 'build', '--compile', '--sourcemap', 'test/fixtures/main.ts', '--outfile', `${dir}/echo`],
    { cwd: dir, stderr: 'pipe' },
  )
  if (build.exitCode !== 0) throw new Error(`bun build --compile failed: ${build.stderr}`)
  rmSync(`${dir}/node_modules`, { recursive: true })
  rmSync(`${dir}/src`, { recursive: true })

  const port = freePort()
  url = `http://127.0.0.1:${port}`
  server = Bun.spawn([`${dir}/echo`], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1' },
    stdout: 'ignore',
    stderr: 'inherit',
  })
  const deadline = performance.now() + 10_000
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (performance.now() > deadline) throw new Error('the compiled service did not answer /health')
    await Bun.sleep(50)
  }
}, 60_000)

afterAll(() => {
  server?.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('compiled into one executable', () => {
  test.each(['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'])(
    "serves Swagger UI's %s from inside the executable",
    async (name) => {
      const response = await fetch(`${url}/swagger/assets/${name}`)
      expect(response.status).toBe(200)
      const shipped = await Bun.file(`${SWAGGER_UI_DIST}/${name}`).bytes()
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(shipped))).toBe(true)
    },
  )

  test('serves the page and the document', async () => {
    expect((await fetch(`${url}/swagger`)).status).toBe(200)
    expect(((await (await fetch(`${url}/swagger/json`)).json()) as { openapi: string }).openapi).toStartWith('3.1')
  })
})
