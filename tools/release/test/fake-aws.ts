// A stage as AWS would answer for it, without a network: the four clients the release tool takes, answering the
// operations it sends from a small in-memory state, and recording every request. Instance refreshes play a
// script of statuses; as in AWS, a group takes its refresh's desired configuration only when the refresh succeeds.
// Launch template versions keep what the tool reads and inherits (user data, AMI, description) and, as in EC2, a
// new version copies its source version's settings and the default version cannot be deleted.

import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling'
import { ImageNotFoundException } from '@aws-sdk/client-ecr'
import { ParameterNotFound } from '@aws-sdk/client-ssm'
import type { Clients } from '../src/aws'
import { imageReference } from '../src/image'
import { namesOf, type Service, type Stage, services, versionDescription } from '../src/names'
import type { Tags } from '../src/release'
import { decodeUserData, encodeUserData } from '../src/user-data'

export const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'

/** Tags that look like what CI pushes: full commit SHAs. */
export const sha = (digit: string) => digit.repeat(40)

/** The user data terraform/modules/service renders (same layout; test/contract.test.ts checks the real one). */
export function cloudConfig(service: Service, tag: string, stage: Stage = 'dev'): string {
  const runtimeEnv = {
    AWS_REGION: 'eu-west-1',
    CONTAINER_PORT: '8080',
    IMAGE: imageReference(`${registry}/relay/${service}`, tag),
    LOG_GROUP: `/relay/${stage}/${service}`,
    SERVICE_NAME: service,
  }
  const env = (values: Record<string, string>) =>
    JSON.stringify(
      Object.entries(values)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    )
  return [
    '#cloud-config',
    '# Rendered by terraform/modules/service.',
    'write_files:',
    '  - path: /etc/relay/runtime.env',
    '    owner: root:root',
    '    permissions: "0600"',
    `    content: ${env(runtimeEnv)}`,
    '  - path: /etc/relay/app.env',
    '    owner: root:root',
    '    permissions: "0600"',
    `    content: ${env({ ENVIRONMENT: stage, PORT: '8080' })}`,
    'runcmd:',
    '  - [systemctl, enable, --now, relay-app.service]',
    '',
  ].join('\n')
}

/** A launch template version as Terraform writes it (terraform/modules/service): user data, AMI, description. */
export function terraformVersion(service: Service, tag: string, stage: Stage = 'dev'): Version {
  return {
    userData: cloudConfig(service, tag, stage),
    imageId: 'ami-0aaaaaaaaaaaaaaaa',
    description: versionDescription(service, tag),
  }
}

/** The tag or digest in a user data's IMAGE= line. */
export function tagIn(userData: string): string {
  return /IMAGE=[^:@]+[:@]([^\\\n"]+)/.exec(userData)?.[1] ?? ''
}

/** The user data a CreateLaunchTemplateVersion request carries, decoded. */
export function sentUserData(request: Record<string, unknown> | undefined): string {
  const data = request?.LaunchTemplateData as { UserData?: string } | undefined
  return decodeUserData(data?.UserData ?? '')
}

export type Step = Pick<
  InstanceRefresh,
  'Status' | 'PercentageComplete' | 'InstancesToUpdate' | 'StatusReason' | 'RollbackDetails'
>

export const succeeds: Step[] = [
  { Status: 'Pending', PercentageComplete: 0, InstancesToUpdate: 2 },
  { Status: 'InProgress', PercentageComplete: 50, InstancesToUpdate: 1 },
  { Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0, StatusReason: 'Instance refresh succeeded.' },
]

export interface Request {
  client: keyof Clients
  operation: string
  input: Record<string, unknown>
}

export const mutating = new Set([
  'CreateLaunchTemplateVersion',
  'StartInstanceRefresh',
  'PutParameter',
  'DeleteLaunchTemplateVersions',
])

export interface Version {
  userData: string
  imageId: string
  description: string
}

interface Template {
  id: string
  versions: Map<number, Version>
  defaultVersion: number
}

interface Refresh extends InstanceRefresh {
  script: Step[]
  desiredVersion: string
}

export interface FakeStageOptions {
  stage?: Stage
  /** Tags the groups run now. */
  running: Tags
  /** Tags pushed to each repository, besides the running ones. */
  pushed?: string[]
  /** Values of each service's image-tag parameter, oldest first. */
  recorded?: Partial<Record<Service, string[]>>
  /** The statuses each service's instance refresh goes through (default: it succeeds). */
  refreshes?: Partial<Record<Service, Step[]>>
}

export class FakeStage {
  readonly requests: Request[] = []
  readonly stage: Stage
  readonly groups = new Map<Service, AutoScalingGroup>()
  readonly templates = new Map<Service, Template>()
  readonly refreshes = new Map<Service, Refresh[]>()
  readonly parameters = new Map<string, string[]>()
  readonly images = new Map<string, Set<string>>()
  readonly scripts: Partial<Record<Service, Step[]>>
  /** Answers that replace the normal one for an operation (a function may throw). */
  readonly overrides = new Map<string, (input: Record<string, unknown>) => unknown>()
  private refreshCount = 0

  constructor(options: FakeStageOptions) {
    this.stage = options.stage ?? 'dev'
    this.scripts = options.refreshes ?? {}
    for (const [index, service] of services.entries()) {
      const names = namesOf(this.stage, service)
      const id = `lt-0${service}000000000000`
      const version = 7 + index * 5
      const running = options.running[service]
      this.templates.set(service, {
        id,
        versions: new Map([[version, terraformVersion(service, running)]]),
        defaultVersion: version,
      })
      const launchTemplate = {
        LaunchTemplateId: id,
        LaunchTemplateName: names.launchTemplate,
        Version: String(version),
      }
      this.groups.set(service, {
        AutoScalingGroupName: names.group,
        LaunchTemplate: launchTemplate,
        // app2 has a default instance warm-up, app1 only a grace period: both sources of the warm-up are used.
        DefaultInstanceWarmup: service === 'app2' ? 120 : undefined,
        HealthCheckGracePeriod: service === 'app2' ? 90 : 300,
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
        HealthCheckType: 'ELB',
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        Instances: ['a', 'b'].map((suffix) => ({
          InstanceId: `i-0${service}${suffix}`,
          AvailabilityZone: 'eu-west-1a',
          LifecycleState: 'InService',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: false,
          LaunchTemplate: { ...launchTemplate },
        })),
      })
      this.refreshes.set(service, [])
      this.images.set(names.repository, new Set([options.running[service], ...(options.pushed ?? [])]))
      const recorded = options.recorded?.[service]
      if (recorded) this.parameters.set(names.imageTagParameter, [...recorded])
    }
  }

  clients(): Clients {
    const client = (name: keyof Clients) => ({
      send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
        const operation = command.constructor.name.replace(/Command$/, '')
        this.requests.push({ client: name, operation, input: structuredClone(command.input) })
        const override = this.overrides.get(operation)
        if (override) return override(command.input)
        const handler = (this as unknown as Record<string, (input: Record<string, unknown>) => unknown>)[operation]
        if (typeof handler !== 'function') throw new Error(`the fake stage does not answer ${operation}`)
        return handler.call(this, command.input)
      },
    })
    return {
      autoScaling: client('autoScaling'),
      ec2: client('ec2'),
      ecr: client('ecr'),
      ssm: client('ssm'),
    } as unknown as Clients
  }

  operations(): string[] {
    return this.requests.map((request) => request.operation)
  }

  sent(operation: string): Record<string, unknown>[] {
    return this.requests.filter((request) => request.operation === operation).map((request) => request.input)
  }

  serviceOf(groupOrTemplate: unknown): Service {
    for (const service of services) {
      const group = this.groups.get(service)
      if (group?.AutoScalingGroupName === groupOrTemplate) return service
      if (this.templates.get(service)?.id === groupOrTemplate) return service
    }
    throw new Error(`unknown group or launch template ${String(groupOrTemplate)}`)
  }

  /** The tag in the user data of the launch template version the group runs. */
  runs(service: Service): string {
    const version = Number(this.groups.get(service)?.LaunchTemplate?.Version)
    return tagIn(this.templates.get(service)?.versions.get(version)?.userData ?? '')
  }

  /** The launch template's versions, by number. */
  versions(service: Service): Map<number, Version> {
    return this.templates.get(service)?.versions ?? new Map()
  }

  /** The number of the launch template's latest version. */
  latest(service: Service): number {
    return Math.max(...this.versions(service).keys())
  }

  /**
   * What `terraform apply` does to the launch template: a new version from the configuration, here with another
   * AMI and the user data rendered for the recorded tag, which becomes the default. The group keeps its version.
   */
  terraformApplies(service: Service, tag: string, imageId: string): number {
    const template = this.templates.get(service)
    if (!template) throw new Error(`no template for ${service}`)
    const version = this.latest(service) + 1
    template.versions.set(version, { ...terraformVersion(service, tag, this.stage), imageId })
    template.defaultVersion = version
    return version
  }

  // ECR ----------------------------------------------------------------------------------------------------------

  DescribeImages(input: { repositoryName: string; imageIds: { imageTag?: string; imageDigest?: string }[] }) {
    const id = input.imageIds[0]
    const tag = id?.imageTag ?? id?.imageDigest ?? ''
    if (!this.images.get(input.repositoryName)?.has(tag)) {
      throw new ImageNotFoundException({
        message: `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '123456789012'`,
        $metadata: {},
      })
    }
    return {
      imageDetails: [
        { repositoryName: input.repositoryName, imageTags: [tag], imagePushedAt: new Date('2026-03-01T12:00:00Z') },
      ],
    }
  }

  // Auto Scaling ---------------------------------------------------------------------------------------------------

  DescribeAutoScalingGroups(input: { AutoScalingGroupNames: string[] }) {
    const groups = [...this.groups.values()].filter((group) =>
      input.AutoScalingGroupNames.includes(group.AutoScalingGroupName ?? ''),
    )
    return { AutoScalingGroups: structuredClone(groups) }
  }

  DescribeInstanceRefreshes(input: { AutoScalingGroupName: string; InstanceRefreshIds?: string[] }) {
    const service = this.serviceOf(input.AutoScalingGroupName)
    const refreshes = this.refreshes.get(service) ?? []
    for (const refresh of refreshes) {
      if (!input.InstanceRefreshIds?.includes(refresh.InstanceRefreshId ?? '')) continue
      const step = refresh.script.shift()
      if (step) Object.assign(refresh, step)
      if (refresh.Status === 'Successful') this.groupRuns(service, refresh.desiredVersion)
    }
    const listed = refreshes
      .filter(
        (refresh) => !input.InstanceRefreshIds || input.InstanceRefreshIds.includes(refresh.InstanceRefreshId ?? ''),
      )
      .map(({ script: _script, desiredVersion: _version, ...refresh }) => refresh)
    return { InstanceRefreshes: listed.reverse() }
  }

  StartInstanceRefresh(input: {
    AutoScalingGroupName: string
    DesiredConfiguration: { LaunchTemplate: { Version: string } }
  }) {
    const service = this.serviceOf(input.AutoScalingGroupName)
    const id = `0000000${++this.refreshCount}-refresh-${service}`
    this.refreshes.get(service)?.push({
      InstanceRefreshId: id,
      AutoScalingGroupName: input.AutoScalingGroupName,
      Status: 'Pending',
      PercentageComplete: 0,
      script: [...(this.scripts[service] ?? succeeds)],
      desiredVersion: input.DesiredConfiguration.LaunchTemplate.Version,
    })
    return { InstanceRefreshId: id }
  }

  /** Puts a refresh that started outside this release on a group. */
  refreshRunsOn(service: Service, status = 'InProgress'): void {
    this.refreshes.get(service)?.push({
      InstanceRefreshId: `elsewhere-${service}`,
      AutoScalingGroupName: namesOf(this.stage, service).group,
      Status: status as InstanceRefresh['Status'],
      PercentageComplete: 40,
      script: [],
      desiredVersion: '',
    })
  }

  private groupRuns(service: Service, version: string): void {
    const group = this.groups.get(service)
    if (!group?.LaunchTemplate) return
    group.LaunchTemplate.Version = version
    for (const instance of group.Instances ?? []) instance.LaunchTemplate = { ...group.LaunchTemplate }
  }

  // EC2 -----------------------------------------------------------------------------------------------------------

  DescribeLaunchTemplateVersions(input: { LaunchTemplateId: string; Versions: string[] }) {
    const service = this.serviceOf(input.LaunchTemplateId)
    const numbers = new Set(
      input.Versions.map((version) => (version === '$Latest' ? this.latest(service) : Number(version))),
    )
    return {
      LaunchTemplateVersions: [...numbers].map((number) => {
        const version = this.versions(service).get(number)
        if (!version) throw new Error(`no version ${number} of ${input.LaunchTemplateId}`)
        return {
          LaunchTemplateId: input.LaunchTemplateId,
          VersionNumber: number,
          VersionDescription: version.description,
          LaunchTemplateData: { ImageId: version.imageId, UserData: encodeUserData(version.userData) },
        }
      }),
    }
  }

  CreateLaunchTemplateVersion(input: {
    LaunchTemplateId: string
    SourceVersion: string
    VersionDescription?: string
    LaunchTemplateData: { UserData: string }
  }) {
    const service = this.serviceOf(input.LaunchTemplateId)
    const source = this.versions(service).get(Number(input.SourceVersion))
    if (!source) throw new Error(`no source version ${input.SourceVersion}`)
    const version = this.latest(service) + 1
    // As in EC2: the source version's settings, overridden by the data given; the description is the version's own.
    this.versions(service).set(version, {
      imageId: source.imageId,
      userData: decodeUserData(input.LaunchTemplateData.UserData),
      description: input.VersionDescription ?? '',
    })
    return { LaunchTemplateVersion: { LaunchTemplateId: input.LaunchTemplateId, VersionNumber: version } }
  }

  DeleteLaunchTemplateVersions(input: { LaunchTemplateId: string; Versions: string[] }) {
    const template = this.templates.get(this.serviceOf(input.LaunchTemplateId))
    const deleted: { LaunchTemplateId: string; VersionNumber: number }[] = []
    const refused: object[] = []
    for (const number of input.Versions.map(Number)) {
      if (number === template?.defaultVersion || !template?.versions.has(number)) {
        refused.push({
          LaunchTemplateId: input.LaunchTemplateId,
          VersionNumber: number,
          ResponseError: template?.versions.has(number)
            ? { Code: 'unexpectedError', Message: 'Cannot delete the default version' }
            : { Code: 'launchTemplateVersionDoesNotExist', Message: `Version ${number} does not exist` },
        })
        continue
      }
      template.versions.delete(number)
      deleted.push({ LaunchTemplateId: input.LaunchTemplateId, VersionNumber: number })
    }
    return { SuccessfullyDeletedLaunchTemplateVersions: deleted, UnsuccessfullyDeletedLaunchTemplateVersions: refused }
  }

  // SSM -----------------------------------------------------------------------------------------------------------

  GetParameters(input: { Names: string[] }) {
    const known = input.Names.filter((name) => this.parameters.has(name))
    return {
      Parameters: known.map((name) => {
        const history = this.parameters.get(name) ?? []
        return { Name: name, Type: 'String', Value: history.at(-1), Version: history.length }
      }),
      InvalidParameters: input.Names.filter((name) => !this.parameters.has(name)),
    }
  }

  PutParameter(input: { Name: string; Value: string; Overwrite?: boolean }) {
    const history = this.parameters.get(input.Name)
    if (history && !input.Overwrite) throw new Error('ParameterAlreadyExists')
    this.parameters.set(input.Name, [...(history ?? []), input.Value])
    return { Version: (history?.length ?? 0) + 1, Tier: 'Standard' }
  }

  /** Two versions a page, so that callers must follow NextToken. */
  GetParameterHistory(input: { Name: string; NextToken?: string }) {
    const history = this.parameters.get(input.Name)
    if (!history) throw new ParameterNotFound({ message: '', $metadata: {} })
    const start = Number(input.NextToken ?? 0)
    const page = history.slice(start, start + 2).map((value, index) => ({
      Name: input.Name,
      Type: 'String',
      Value: value,
      Version: start + index + 1,
      LastModifiedDate: new Date(Date.UTC(2026, 2, start + index + 1)),
    }))
    return { Parameters: page, NextToken: start + 2 < history.length ? String(start + 2) : undefined }
  }
}
