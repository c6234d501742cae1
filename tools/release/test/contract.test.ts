// The release tool's assumptions about what Terraform builds, checked against Terraform itself: the stages are
// planned (mocked AWS provider, offline, as scripts/test-terraform.sh does) in a copy of terraform/, and the plans'
// values are compared with src/names.ts and with what src/user-data.ts reads and writes. Fails when a name, the
// rollout alarm, the image tag parameters, the launch template description or the user data layout changes on one
// side only: after a release, the AWS provider reads the user data and the description of the version the tool
// created, and Terraform's plan must find exactly what it renders for the recorded tag.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { imageReference } from '../src/image'
import { namesOf, type Stage, services, stages, versionDescription } from '../src/names'
import { decodeUserData, readImage, replaceImage } from '../src/user-data'
import { sha } from './fake-aws'

const repository = resolve(import.meta.dir, '..', '..', '..')
const pluginDir = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins'
const digest = `sha256:${'e'.repeat(64)}`

interface ResourceChange {
  address: string
  type: string
  change: { after: Record<string, unknown> | null }
}

/** Each run's planned resources, by run name. */
type Plans = Map<string, ResourceChange[]>

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

async function terraform(directory: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await run(directory, args)
  if (code !== 0) {
    throw new Error(`terraform ${args[0]} in ${directory} failed:\n${stderr}${errorsOf(stdout).join('\n')}`)
  }
  return stdout
}

/** With -json, the errors are the messages of level error; a failed condition's own text is their detail. */
function errorsOf(jsonLines: string): string[] {
  return jsonLines
    .split('\n')
    .filter((line) => line.includes('"@level":"error"'))
    .map((line) => {
      const message = JSON.parse(line) as { '@message': string; diagnostic?: { detail?: string } }
      return [message['@message'], message.diagnostic?.detail].filter(Boolean).join(': ')
    })
}

async function run(directory: string, args: string[]): Promise<Outcome> {
  if (!Bun.which('terraform'))
    throw new Error('terraform is not installed (scripts/ensure-tools.sh terraform says how)')
  const env = { ...process.env, TF_IN_AUTOMATION: '1' } as Record<string, string>
  if (!existsSync(join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    env.TF_PLUGIN_CACHE_DIR ??= join(repository, '.run', 'terraform-plugin-cache')
    mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true })
  }
  const child = Bun.spawn(['terraform', `-chdir=${directory}`, ...args], { env, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  return { code, stdout, stderr }
}

async function init(directory: string): Promise<void> {
  const plugins = existsSync(join(pluginDir, 'registry.terraform.io')) ? [`-plugin-dir=${pluginDir}`] : []
  await terraform(directory, ['init', '-backend=false', '-input=false', '-no-color', ...plugins])
}

/** Runs the tests of `directory` (or only those in `testDirectory`) and returns the plan of each run. */
async function plan(directory: string, testDirectory?: string): Promise<Plans> {
  const test = [
    'test',
    '-verbose',
    '-json',
    '-no-color',
    ...(testDirectory ? [`-test-directory=${testDirectory}`] : []),
  ]
  const plans: Plans = new Map()
  for (const line of (await terraform(directory, test)).split('\n')) {
    if (!line.includes('"test_plan"')) continue
    const message = JSON.parse(line) as {
      type: string
      '@testrun': string
      test_plan: { resource_changes: ResourceChange[] }
    }
    if (message.type === 'test_plan') plans.set(message['@testrun'], message.test_plan.resource_changes)
  }
  return plans
}

function planned(plans: Plans, run: string, address: string): Record<string, unknown> {
  const resource = plans.get(run)?.find((change) => change.address === address)
  if (!resource?.change.after) throw new Error(`the plan of run "${run}" has no ${address}`)
  return resource.change.after
}

// One run per stage with commit SHAs; dev also plans digests, to check both forms of the image reference. The
// stages' terraform.tfvars set no certificate (prod refuses to plan without HTTPS) and no alarm address (a plan
// warns through a check block, which fails a test run): the runs give both.
function stageTest(stage: Stage): string {
  const run = (name: string, app1: string, app2: string) =>
    `run "${name}" {\n  command = plan\n  variables {\n    app1_image_tag = "${app1}"\n    app2_image_tag = "${app2}"\n` +
    `    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"\n` +
    `    alarm_email = "ops@example.com"\n  }\n}\n`
  return [
    '# Written by tools/release/test/contract.test.ts into a copy of the stage.',
    'mock_provider "aws" {\n  source = "../../modules/stack/tests/mocks"\n}\n',
    // app1's user data holds app2's URL, the internal load balancer's DNS name: known only if set here.
    'override_resource {',
    '  target          = module.stack.module.internal_alb.aws_lb.this',
    '  override_during = plan',
    '  values = {',
    '    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-internal/0123456789abcdef"',
    '    arn_suffix = "app/relay-internal/0123456789abcdef"',
    '    dns_name   = "internal-relay-internal-1234567890.eu-west-1.elb.amazonaws.com"',
    '  }',
    '}\n',
    run('sha', sha('1'), sha('2')),
    stage === 'dev' ? run('digest', digest, digest) : '',
  ].join('\n')
}

// A stage planned from zero without image tags (everything else given as above): no parameter records a tag yet,
// so the plan must fail, and only for that.
const withoutTags = [
  '# Written by tools/release/test/contract.test.ts into a copy of the stage.',
  'mock_provider "aws" {\n  source = "../../modules/stack/tests/mocks"\n}\n',
  'run "without_tags" {\n  command = plan\n  variables {\n' +
    '    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"\n' +
    '    alarm_email = "ops@example.com"\n  }\n}\n',
].join('\n')

let workspace: string
const stagePlans = new Map<Stage, Plans>()
let globalPlans: Plans
let planWithoutTags: Outcome

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'release-contract-'))
  // The copy leaves out providers and lock files that a local `terraform init` may have left in the tree.
  cpSync(join(repository, 'terraform'), join(workspace, 'terraform'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !['.terraform', '.terraform.lock.hcl'].includes(basename(source)),
  })
  const envs = join(workspace, 'terraform', 'envs')
  // One init after the other: without a local provider directory they share Terraform's plugin cache, which is
  // not safe for concurrent writers. The plans then run side by side.
  for (const directory of [...stages, 'global']) await init(join(envs, directory))
  const planned = stages.map(async (stage) => {
    const contract = join(envs, stage, 'release-contract')
    mkdirSync(contract)
    writeFileSync(join(contract, 'contract.tftest.hcl'), stageTest(stage))
    stagePlans.set(stage, await plan(join(envs, stage), 'release-contract'))
  })
  const noTags = join(envs, 'dev', 'release-contract-no-tags')
  mkdirSync(noTags)
  writeFileSync(join(noTags, 'contract.tftest.hcl'), withoutTags)
  const failing = run(join(envs, 'dev'), [
    'test',
    '-json',
    '-no-color',
    '-test-directory=release-contract-no-tags',
  ]).then((outcome) => {
    planWithoutTags = outcome
  })
  // envs/global creates the ECR repositories; its own tests plan it.
  const global = plan(join(envs, 'global')).then((plans) => {
    globalPlans = plans
  })
  await Promise.all([...planned, global, failing])
}, 300_000)

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

describe('the release tool agrees with Terraform', () => {
  test('on the stages: every root in terraform/envs but global is a stage the tool knows', () => {
    const envs = join(repository, 'terraform', 'envs')
    const roots = readdirSync(envs).filter((entry) => existsSync(join(envs, entry, 'main.tf')))
    expect(roots.filter((root) => root !== 'global').sort()).toEqual([...stages].sort())
  })

  test('on the names of each service: group, launch template, rollout alarm', () => {
    for (const stage of stages) {
      const plans = stagePlans.get(stage) as Plans
      for (const service of services) {
        const names = namesOf(stage, service)
        const module = `module.stack.module.${service}`
        const group = planned(plans, 'sha', `${module}.aws_autoscaling_group.this`)
        expect(group.name).toBe(names.group)
        expect(planned(plans, 'sha', `${module}.aws_launch_template.this`).name).toBe(names.launchTemplate)
        expect(planned(plans, 'sha', `${module}.aws_cloudwatch_metric_alarm.rollout_5xx[0]`).alarm_name).toBe(
          names.rolloutAlarm,
        )
        // The tool reads the warm-up from the group: Terraform must set one of the two.
        const warmups = [group.default_instance_warmup, group.health_check_grace_period]
        expect(warmups.some((seconds) => typeof seconds === 'number')).toBe(true)
      }
    }
  })

  test('on the repositories: envs/global creates relay/app1 and relay/app2', () => {
    const [firstRun] = globalPlans.values()
    const created = (firstRun ?? []).filter((change) => change.type === 'aws_ecr_repository')
    expect(created.map((change) => change.change.after?.name).sort()).toEqual(
      services.map((service) => namesOf('dev', service).repository).sort(),
    )
  })

  test('on the image tag parameters: Terraform creates each one, a String, with the tag the stage is created with', () => {
    for (const stage of stages) {
      const plans = stagePlans.get(stage) as Plans
      for (const [service, tag] of [
        ['app1', sha('1')],
        ['app2', sha('2')],
      ] as const) {
        const parameter = planned(plans, 'sha', `module.stack.module.${service}.aws_ssm_parameter.image_tag`)
        expect(parameter.name).toBe(namesOf(stage, service).imageTagParameter)
        expect(parameter.type).toBe('String')
        // The tool reads and writes the value in the clear; Terraform renders the user data from it, readable.
        expect(parameter.insecure_value).toBe(tag)
      }
    }
  })

  test("on the launch template's description: Terraform writes what the tool writes as VersionDescription", () => {
    const plans = stagePlans.get('dev') as Plans
    for (const [service, tag] of [
      ['app1', sha('1')],
      ['app2', sha('2')],
    ] as const) {
      const address = `module.stack.module.${service}.aws_launch_template.this`
      expect(planned(plans, 'sha', address).description).toBe(versionDescription(service, tag))
      expect(planned(plans, 'digest', address).description).toBe(versionDescription(service, digest))
    }
  })

  test('on the first release: a stage is created by Terraform with image tags, and not without them', () => {
    expect(planWithoutTags.code).not.toBe(0)
    const errors = errorsOf(planWithoutTags.stdout)
    expect(errors).toHaveLength(2)
    for (const service of services) {
      const error = errors.find((each) => each.includes(`relay-dev-${service} is created by this plan`))
      expect(error).toContain('no image tag is recorded for it yet')
      expect(error).toContain(`TF_VAR_${service}_image_tag=<full commit SHA>`)
    }
  })

  test('on the user data: the image is read where Terraform writes it, and changing it gives what Terraform renders', () => {
    const plans = stagePlans.get('dev') as Plans
    const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com' // the stages' mocked repository URLs
    for (const [service, tag] of [
      ['app1', sha('1')],
      ['app2', sha('2')],
    ] as const) {
      const address = `module.stack.module.${service}.aws_launch_template.this`
      const withSha = decodeUserData(planned(plans, 'sha', address).user_data as string)
      const withDigest = decodeUserData(planned(plans, 'digest', address).user_data as string)
      const repositoryUrl = `${registry}/${namesOf('dev', service).repository}`

      expect(readImage(withSha)).toBe(imageReference(repositoryUrl, tag))
      expect(readImage(withDigest)).toBe(imageReference(repositoryUrl, digest))
      expect(replaceImage(withSha, imageReference(repositoryUrl, digest))).toBe(withDigest)
      expect(replaceImage(withDigest, imageReference(repositoryUrl, tag))).toBe(withSha)
    }
  })
})
