// The CI role that builds this AMI (relay-ci-packer, terraform/modules/github-oidc) may only stop, change, delete,
// image or open a session into resources that carry its builder tag. So every resource the build creates must
// carry that tag from its creation on, or the build, or the clean-up after a failure, is denied. This test plans
// terraform/envs/global (mocked AWS provider, offline, as its own tests do) in a copy of terraform/, reads the
// policy the role gets and compares every tag its conditions name with the tags this template sets.
//
// What the amazon plugin (1.8) does with the template's tag settings, read in its source (builder/ebs and
// builder/common step_*.go): run_tags go on the instance and its network interface (RunInstances), the key pair
// and the security group (tag specifications at creation), and on the AMI and its snapshots (CreateImage's tag
// specifications, unless ami_skip_run_tags); run_volume_tags go on the volumes (RunInstances); tags and
// snapshot_tags are added by the last step, after ModifyImageAttribute has set IMDS support. encrypt_boot would
// make CreateImage's image an intermediate one and CopyImage a new image whose snapshots carry no tags until
// that last step.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { parse } from '@cdktf/hcl2json'

const repo = resolve(import.meta.dir, '..', '..')
const pluginDir = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins'

// biome-ignore lint/suspicious/noExplicitAny: parsed HCL and JSON are untyped
type Json = any
type Tags = Record<string, string>

// A plan of envs/global with its example terraform.tfvars; data sources and the values the modules validate
// are mocked at plan time so that the policies are known.
const contractTest = `
mock_provider "aws" {
  override_during = plan
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/mock" }
  }
}

run "plan" {
  command = plan
}
`

async function terraform(directory: string, args: string[]): Promise<string> {
  if (!Bun.which('terraform'))
    throw new Error('terraform is not installed (scripts/ensure-tools.sh terraform says how)')
  const child = Bun.spawn(['terraform', `-chdir=${directory}`, ...args], {
    env: { ...process.env, TF_IN_AUTOMATION: '1' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  if (code !== 0) throw new Error(`terraform ${args[0]} in ${directory} failed:\n${stderr}${stdout}`)
  return stdout
}

let workspace: string
let packerPolicy: Json
let packerProfile: Json
let template: Json
let variables: Json

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'ci-role-contract-'))
  cpSync(join(repo, 'terraform'), join(workspace, 'terraform'), {
    recursive: true,
    filter: (source) => !['.terraform', '.terraform.lock.hcl'].includes(basename(source)),
  })
  const global = join(workspace, 'terraform', 'envs', 'global')
  mkdirSync(join(global, 'ci-role-contract'))
  writeFileSync(join(global, 'ci-role-contract', 'contract.tftest.hcl'), contractTest)
  const plugins = existsSync(join(pluginDir, 'registry.terraform.io')) ? [`-plugin-dir=${pluginDir}`] : []
  await terraform(global, ['init', '-backend=false', '-input=false', '-no-color', ...plugins])
  const output = await terraform(global, ['test', '-test-directory=ci-role-contract', '-verbose', '-json', '-no-color'])
  const plan: Json = output
    .split('\n')
    .filter((line) => line.includes('"test_plan"'))
    .map((line) => JSON.parse(line))
    .find((message) => message.type === 'test_plan')?.test_plan
  const planned = (address: string) =>
    plan?.resource_changes?.find((change: Json) => change.address === address)?.change.after
  packerPolicy = JSON.parse(planned('module.github_oidc.aws_iam_role_policy.ci_packer[0]')?.policy ?? 'null')
  packerProfile = planned('module.github_oidc.aws_iam_instance_profile.packer_build[0]')

  template = await parse('relay-host.pkr.hcl', readFileSync(join(repo, 'packer', 'relay-host.pkr.hcl'), 'utf8'))
  variables = (await parse('variables.pkr.hcl', readFileSync(join(repo, 'packer', 'variables.pkr.hcl'), 'utf8')))
    .variable
}, 300_000)

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

/** Every tag a condition of the policy requires: ec2:ResourceTag/K, ssm:resourceTag/K, aws:RequestTag/K = V. */
function requiredTags(policy: Json): Tags {
  const required: Tags = {}
  for (const statement of policy.Statement) {
    for (const operator of Object.values<Json>(statement.Condition ?? {})) {
      for (const [key, value] of Object.entries<Json>(operator)) {
        const tag = key.match(/^(?:ec2|ssm|aws):(?:resource|request)tag\/(.+)$/i)?.[1]
        if (!tag || tag.startsWith('aws:')) continue // aws: tags are set by AWS, not by the template
        for (const one of [value].flat()) {
          if (required[tag] !== undefined && required[tag] !== one) throw new Error(`conflicting values for tag ${tag}`)
          required[tag] = one
        }
      }
    }
  }
  return required
}

/** A tag setting of the amazon-ebs source, with a reference to a local (${local.x}) resolved. */
function tagSetting(name: string): Tags {
  const source = template.source['amazon-ebs'].relay_host[0]
  const value = source[name]
  const local = typeof value === 'string' ? value.match(/^\$\{local\.(\w+)\}$/)?.[1] : undefined
  return local ? template.locals[0][local] : value
}

describe("the AMI build's tags meet the conditions of the CI role that builds it", () => {
  test("the role's conditions name tags (the plan of envs/global was read)", () => {
    expect(packerPolicy?.Statement?.length).toBeGreaterThan(0)
    expect(Object.keys(requiredTags(packerPolicy)).length).toBeGreaterThan(0)
  })

  // Which resources each setting tags, and when: see the comment at the top.
  test.each([
    ['run_tags', 'instance, network interface, key pair, security group; the AMI and its snapshots at creation'],
    ['run_volume_tags', "the build instance's volumes, at launch"],
    ['tags', 'the AMI and its snapshots, at the last step'],
    ['snapshot_tags', "the AMI's snapshots, at the last step, over tags"],
  ])("%s (%s) carry every tag the role's conditions require", (setting) => {
    const required = requiredTags(packerPolicy)
    const tags = tagSetting(setting) ?? {}
    const set = Object.fromEntries(Object.keys(required).map((key) => [key, tags[key]]))
    expect(set).toEqual(required)
  })

  test('the AMI is made by CreateImage, with the run tags, and not copied', () => {
    const source = template.source['amazon-ebs'].relay_host[0]
    expect(source.encrypt_boot ?? false).toBe(false)
    expect(source.ami_skip_run_tags ?? false).toBe(false)
    expect(source.ami_regions ?? []).toEqual([])
  })

  test('the base image filter accepts only owners whose images the role may launch', () => {
    const launchable = packerPolicy.Statement.filter(
      (statement: Json) =>
        statement.Action === 'ec2:RunInstances' &&
        [statement.Resource].flat().some((resource: string) => resource.includes(':image/')),
    ).flatMap((statement: Json) => [statement.Condition?.StringEquals?.['ec2:Owner']].flat())
    const filter = template.source['amazon-ebs'].relay_host[0].source_ami_filter[0]
    expect(launchable.length).toBeGreaterThan(0)
    expect(filter.owners.every((owner: string) => launchable.includes(owner))).toBe(true)
  })

  test("the build instance's profile is the one Terraform creates, whose role the CI role may pass", () => {
    expect(variables.iam_instance_profile[0].default).toBe(packerProfile?.name)
    const passRole = packerPolicy.Statement.filter((statement: Json) => statement.Action === 'iam:PassRole')
    expect(passRole.map((statement: Json) => statement.Resource)).toEqual([
      `arn:aws:iam::123456789012:role/${packerProfile?.role}`,
    ])
  })
})
