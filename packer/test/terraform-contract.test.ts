// The AMI contract seen from both sides: what Terraform's service module looks up and writes at boot must be
// what this image is named, tagged and reads. A change on one side alone fails here.
import { beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from '@cdktf/hcl2json'

const repo = resolve(import.meta.dir, '..', '..')
const serviceMain = join(repo, 'terraform', 'modules', 'service', 'main.tf')

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is untyped JSON
type Json = any
let service: Json
let serviceVariables: Json
let packerLocals: Json
let packerSource: Json
let packerVariables: Json

beforeAll(async () => {
  service = await parse('main.tf', readFileSync(serviceMain, 'utf8'))
  const serviceVariablesFile = join(repo, 'terraform', 'modules', 'service', 'variables.tf')
  serviceVariables = (await parse('variables.tf', readFileSync(serviceVariablesFile, 'utf8'))).variable
  const template = await parse('relay-host.pkr.hcl', readFileSync(join(repo, 'packer', 'relay-host.pkr.hcl'), 'utf8'))
  packerLocals = template.locals[0]
  packerSource = template.source['amazon-ebs'].relay_host[0]
  const variables = await parse('variables.pkr.hcl', readFileSync(join(repo, 'packer', 'variables.pkr.hcl'), 'utf8'))
  packerVariables = variables.variable
})

const serviceLocals = () => Object.assign({}, ...service.locals)
const amiLookup = () => service.data.aws_ami.host[0]
const filterValues = (name: string): string[] => amiLookup().filter.find((f: Json) => f.name === name)?.values

describe('Terraform finds this AMI', () => {
  test("only among the account's own images, newest first", () => {
    expect(amiLookup().owners).toEqual(['self'])
    expect(amiLookup().most_recent).toBe(true)
  })

  test('for the same architectures', () => {
    const accepted = (condition: string, variable: string) =>
      JSON.parse(condition.match(new RegExp(`^\\$\\{contains\\((\\[.*\\]), var\\.${variable}\\)\\}$`))?.[1] ?? 'null')
    expect(accepted(serviceVariables.architecture[0].validation[0].condition, 'architecture')).toEqual([
      'x86_64',
      'arm64',
    ])
    expect(accepted(packerVariables.arch[0].validation[0].condition, 'arch')).toEqual(['x86_64', 'arm64'])
  })

  describe.each(['x86_64', 'arm64'])('built for %s', (arch) => {
    test('by a name pattern that matches the name Packer gives', () => {
      const [pattern] = filterValues('name')
      const terraformPrefix = pattern.replace('${var.architecture}', arch).replace(/\*$/, '')
      const packerPrefix = packerLocals.ami_name.replace('${var.arch}', arch).replace(/\$\{formatdate.*\}$/, '')
      expect(terraformPrefix).toBe(`relay-host-al2023-${arch}-`)
      expect(packerPrefix).toBe(terraformPrefix)
    })

    test('by the architecture of the base image Packer starts from', () => {
      const wanted = filterValues('architecture').map((value) => value.replace('${var.architecture}', arch))
      const built = packerSource.source_ami_filter[0].filters.architecture.replace('${var.arch}', arch)
      expect(wanted).toEqual([arch])
      expect(built).toBe(arch)
    })
  })

  test('by tags that Packer sets', () => {
    const tags = packerLocals.ami_tags
    expect(filterValues('tag:Project')).toEqual([tags.Project])
    expect(filterValues('tag:Role')).toEqual([tags.Role])
  })

  // EC2 refuses a root volume smaller than the AMI's snapshot; the service's plan checks it against the AMI it finds.
  test('and launches it by default on a root volume as large as its snapshot at least', () => {
    const snapshot = packerVariables.root_volume_size_gb[0].default
    expect(snapshot).toBe(10)
    expect(serviceVariables.root_volume_size[0].default).toBeGreaterThanOrEqual(snapshot)
  })
})

describe("Terraform's user data gives relay-app-container what it reads", () => {
  test('runtime.env has exactly the keys the script requires', () => {
    const script = readFileSync(join(repo, 'packer', 'files', 'relay-app-container'), 'utf8')
    const required = script
      .match(/for name in ([A-Z_ ]+); do/)?.[1]
      .trim()
      .split(/\s+/)
    expect(required).toBeDefined()
    expect(Object.keys(serviceLocals().runtime_env).sort()).toEqual([...(required ?? [])].sort())
  })

  test('the cloud-config writes both env files and enables the unit', () => {
    const templatePath = join(repo, 'terraform', 'modules', 'service', 'templates', 'cloud-config.yaml.tftpl')
    const template = readFileSync(templatePath, 'utf8')
    expect(template).toContain('path: /etc/relay/runtime.env')
    expect(template).toContain('path: /etc/relay/app.env')
    expect(template).toContain('[systemctl, enable, --now, relay-app.service]')
  })
})
