#!/usr/bin/env bun
// The service kit's command, run from a service's folder through its package.json scripts:
//   service-kit dockerfile   writes ./Dockerfile from docker/Dockerfile.template, the "image" of package.json and
//                            the Bun version of the nearest .bun-version
//   service-kit check        fails when ./Dockerfile, the framework versions or bun.lock disagree with the kit
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'

const KIT = '@relay/service-kit'
const KIT_DIR = `${import.meta.dir}/..`

export interface PackageJson {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  bin?: Record<string, string>
  scripts?: Record<string, string>
  /** What a service's image is called and says about itself. */
  image?: { executable?: unknown; title?: unknown; description?: unknown }
}

/** The Dockerfile of a service: the template with the service's image fields, the way to the kit and the Bun version. */
export function renderDockerfile(template: string, service: PackageJson, bunVersion: string): string {
  if (!BUN_VERSION.test(bunVersion)) {
    throw new Error(`.bun-version: "${bunVersion}" is not a Bun release such as 1.4.5 (major.minor.patch)`)
  }
  const { executable, title, description } = service.image ?? {}
  if (typeof executable !== 'string' || !/^[a-z][a-z0-9-]*$/.test(executable)) {
    throw new Error('package.json: "image.executable" must be a file name of lower-case letters, digits and dashes')
  }
  for (const [field, value] of [
    ['title', title],
    ['description', description],
  ] as const) {
    if (typeof value !== 'string' || value === '' || /["\\\n$]/.test(value)) {
      throw new Error(`package.json: "image.${field}" must be a line of text without quotes, backslashes or $`)
    }
  }
  const kitPath = kitPathOf(service)
  const values: Record<string, string> = {
    executable,
    title: title as string,
    description: description as string,
    bun_version: bunVersion,
  }
  if (kitPath.startsWith('../')) {
    // Outside the build context: `docker build` gets the kit as the named context `service-kit`, copied to where
    // the file: dependency points from the build stage's /src.
    const target = posix.join('/src', kitPath)
    values.build_command = `docker build --build-context service-kit=${kitPath} -t relay/${executable} .`
    values.copy_kit = [
      '# The service kit, a file: dependency outside this folder, comes from the build context "service-kit".',
      `COPY --from=service-kit package.json tsconfig.base.json ${target}/`,
      `COPY --from=service-kit src ${target}/src`,
    ].join('\n')
  } else {
    values.build_command = `docker build -t relay/${executable} .`
    values.copy_kit = [
      '# The service kit, a file: dependency inside this folder.',
      `COPY ${kitPath}/package.json ${kitPath}/tsconfig.base.json ./${kitPath}/`,
      `COPY ${kitPath}/src ./${kitPath}/src`,
    ].join('\n')
  }
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`Dockerfile template: unknown placeholder ${placeholder}`)
    return value
  })
}

const BUN_VERSION = /^\d+\.\d+\.\d+$/

/**
 * The Bun version of the repository a service is in: the first line of the nearest `.bun-version`, in `dir` or a
 * folder above it. The same file pins Bun for CI (setup-bun's `bun-version-file`) and for the repository's scripts.
 */
export function findBunVersion(dir: string): string {
  for (let folder = dir; ; folder = dirname(folder)) {
    const file = join(folder, '.bun-version')
    if (existsSync(file)) return readFileSync(file, 'utf8').trim()
    if (dirname(folder) === folder) break
  }
  throw new Error(
    `no .bun-version in ${dir} or a folder above it: the Bun release the image is built with, such as 1.4.5`,
  )
}

/** Where the service's `file:` dependency on the kit points, relative to the service's folder. */
function kitPathOf(service: PackageJson): string {
  const spec = service.dependencies?.[KIT]
  if (!spec?.startsWith('file:')) throw new Error(`package.json: ${KIT} must be a "file:" dependency`)
  const path = posix.normalize(spec.slice('file:'.length))
  if (path.startsWith('/')) throw new Error(`package.json: the path of ${KIT} must be relative`)
  return path.replace(/\/+$/, '')
}

/** What disagrees between a service and the kit it installed; empty when nothing does. */
export function checkService(
  { service, dockerfile, lock, bunVersion }: ServiceFiles,
  kit: PackageJson,
  template: string,
): string[] {
  const problems: string[] = []
  const builtWith = dockerfile?.match(/^FROM .*?oven\/bun:(\S+)/m)?.[1]
  if (builtWith !== undefined && builtWith !== bunVersion) {
    // .bun-version changed, or the Dockerfile's base image did (a Dependabot update): Bun is pinned in the file.
    problems.push(
      `Dockerfile builds with oven/bun:${builtWith}, .bun-version says ${bunVersion}: run \`bun run dockerfile\`, ` +
        `after writing ${builtWith} to .bun-version if that is the version to take (it pins Bun everywhere)`,
    )
  } else if (dockerfile !== renderDockerfile(template, service, bunVersion)) {
    problems.push("Dockerfile is not what the kit's template renders for this package.json: run `bun run dockerfile`")
  }
  if (!service.scripts?.build?.startsWith('bun build --compile ')) {
    problems.push(
      'package.json: scripts.build must be `bun build --compile ...`: the Dockerfile compiles the image with it',
    )
  }
  // Bun does not enforce peer dependencies: without this, a service could run on another framework version than
  // the one the kit is tested with.
  for (const [name, version] of Object.entries(kit.peerDependencies ?? {})) {
    const used = service.dependencies?.[name]
    if (used !== version) {
      problems.push(
        `package.json: ${name} is ${used ?? 'missing'}, the kit is tested with ${version} (its peerDependencies): use that`,
      )
    }
  }
  // For a folder dependency, `bun install --frozen-lockfile` only warns when the folder's package.json changed.
  const recorded = lock.packages?.[KIT]?.[1] ?? {}
  const keys = ['dependencies', 'peerDependencies', 'bin'] as const
  if (keys.some((key) => canonical(recorded[key]) !== canonical(kit[key]))) {
    problems.push('bun.lock records an older package.json of the kit: run `bun install` and commit bun.lock')
  }
  return problems
}

interface BunLock {
  packages?: Record<string, [string, PackageJson?]>
}

interface ServiceFiles {
  service: PackageJson
  dockerfile: string | undefined
  lock: BunLock
  bunVersion: string
}

function canonical(record: Record<string, string> | undefined): string {
  return JSON.stringify(Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b)))
}

async function main(command: string | undefined): Promise<number> {
  if (command !== 'dockerfile' && command !== 'check') {
    console.error('usage: service-kit dockerfile | service-kit check')
    return 2
  }
  const template = await Bun.file(`${KIT_DIR}/docker/Dockerfile.template`).text()
  const service = (await Bun.file('package.json').json()) as PackageJson
  const bunVersion = findBunVersion(process.cwd())
  if (command === 'dockerfile') {
    await Bun.write('Dockerfile', renderDockerfile(template, service, bunVersion))
    console.log('service-kit: wrote Dockerfile')
    return 0
  }
  const kit = (await Bun.file(`${KIT_DIR}/package.json`).json()) as PackageJson
  const dockerfile = (await Bun.file('Dockerfile').exists()) ? await Bun.file('Dockerfile').text() : undefined
  const lock = ((await import(`${process.cwd()}/bun.lock`)) as { default: BunLock }).default
  const problems = checkService({ service, dockerfile, lock, bunVersion }, kit, template)
  for (const problem of problems) console.error(`service-kit check: ${problem}`)
  if (problems.length === 0)
    console.log('service-kit check: Dockerfile, framework versions and bun.lock agree with the kit')
  return problems.length === 0 ? 0 : 1
}

if (import.meta.main) {
  try {
    process.exit(await main(process.argv[2]))
  } catch (error) {
    console.error(`service-kit: ${error instanceof Error ? error.message : error}`)
    process.exit(1)
  }
}
