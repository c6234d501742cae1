#!/usr/bin/env bun
// The service kit's command, run from a service's folder through its package.json scripts:
//   service-kit dockerfile   writes ./Dockerfile from docker/Dockerfile.template and the "image" of package.json
//   service-kit check        fails when ./Dockerfile, the framework versions or bun.lock disagree with the kit
import { posix } from 'node:path'

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

/** The Dockerfile of a service: the template with the service's image fields and the way to the kit. */
export function renderDockerfile(template: string, service: PackageJson): string {
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
  const values: Record<string, string> = { executable, title: title as string, description: description as string }
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
  { service, dockerfile, lock }: { service: PackageJson; dockerfile: string | undefined; lock: BunLock },
  kit: PackageJson,
  template: string,
): string[] {
  const problems: string[] = []
  if (dockerfile !== renderDockerfile(template, service)) {
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

function canonical(record: Record<string, string> | undefined): string {
  return JSON.stringify(Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b)))
}

async function main(command: string | undefined): Promise<number> {
  const template = await Bun.file(`${KIT_DIR}/docker/Dockerfile.template`).text()
  const service = (await Bun.file('package.json').json()) as PackageJson
  if (command === 'dockerfile') {
    await Bun.write('Dockerfile', renderDockerfile(template, service))
    console.log('service-kit: wrote Dockerfile')
    return 0
  }
  if (command === 'check') {
    const kit = (await Bun.file(`${KIT_DIR}/package.json`).json()) as PackageJson
    const dockerfile = (await Bun.file('Dockerfile').exists()) ? await Bun.file('Dockerfile').text() : undefined
    const lock = ((await import(`${process.cwd()}/bun.lock`)) as { default: BunLock }).default
    const problems = checkService({ service, dockerfile, lock }, kit, template)
    for (const problem of problems) console.error(`service-kit check: ${problem}`)
    if (problems.length === 0)
      console.log('service-kit check: Dockerfile, framework versions and bun.lock agree with the kit')
    return problems.length === 0 ? 0 : 1
  }
  console.error('usage: service-kit dockerfile | service-kit check')
  return 2
}

if (import.meta.main) {
  try {
    process.exit(await main(process.argv[2]))
  } catch (error) {
    console.error(`service-kit: ${error instanceof Error ? error.message : error}`)
    process.exit(1)
  }
}
