// The checks before anything changes, and the plan they yield: per service, what runs now and what will run.
import {
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
} from '@aws-sdk/client-auto-scaling'
import { DescribeLaunchTemplateVersionsCommand, type LaunchTemplateVersion } from '@aws-sdk/client-ec2'
import { DescribeImagesCommand } from '@aws-sdk/client-ecr'
import { GetParametersCommand, type Parameter } from '@aws-sdk/client-ssm'
import { AwsCallError, Refused } from './errors'
import { imageReference, isDigest, parseReference, tagProblem } from './image'
import { isRefreshInProgress } from './instance-refresh'
import { namesOf, type Service, type ServiceNames, services } from './names'
import type { ReleaseRun } from './release-run'
import { decodeUserData, readImage } from './user-data'

export type Tags = Record<Service, string>

/** What a release needs of a service's Auto Scaling group, which must run a numbered launch template version. */
interface GroupState {
  service: Service
  names: ServiceNames
  launchTemplateId: string
  /** The numbered launch template version the group runs. */
  runningVersion: number
  /** How many of the group's instances run another launch template or version. */
  strayInstances: number
  /** Seconds a new instance warms up: the group's DefaultInstanceWarmup, or its HealthCheckGracePeriod. */
  warmup: number
}

/** What the tool knows about one service before it changes anything. */
export interface ServicePlan extends GroupState {
  /** The template's latest version: Terraform's last change or the last release; new versions are made from it. */
  latestVersion: number
  /** User data of the latest version. */
  latestUserData: string
  /** Tag in the user data of the version the group runs: what runs now. */
  currentTag: string
  /** Tag in the user data of the latest version. */
  latestTag: string
  recordedTag: string | undefined
  targetTag: string
  targetReference: string
  /**
   * release: a new version from the latest one with the target image, and a refresh to it; latest: the latest version
   * carries the target image but the group runs an older one (a launch template change from Terraform), a refresh to
   * it; converge: a refresh of the stray instances to the version the group runs; none.
   */
  action: 'release' | 'latest' | 'converge' | 'none'
}

export function checkTags(tags: Tags): void {
  for (const service of services) {
    const problem = tagProblem(tags[service])
    if (problem) throw new Refused(`${service.toUpperCase()}: ${problem}`)
  }
}

export async function checkImages(run: ReleaseRun, tags: Tags): Promise<void> {
  const { ecr } = run.options.clients
  run.out.info(`Checking the images in ECR (${run.options.region})`)
  for (const service of services) {
    const tag = tags[service]
    const { repository } = namesOf(run.stage, service)
    const image = `${repository}${isDigest(tag) ? '@' : ':'}${tag}`
    const command = new DescribeImagesCommand({
      repositoryName: repository,
      imageIds: [isDigest(tag) ? { imageDigest: tag } : { imageTag: tag }],
    })
    let pushedAt: Date | undefined
    try {
      const answer = await run.call(command, ecr.send(command, run.reading))
      if (!answer.imageDetails?.length) throw new Refused(`${service}: image ${image} is not in ECR`)
      pushedAt = answer.imageDetails[0]?.imagePushedAt
    } catch (error) {
      const name = error instanceof AwsCallError ? error.awsErrorName : undefined
      if (name === 'ImageNotFoundException') {
        throw new Refused(
          `${service}: image ${image} is not in ECR (${run.options.region}); push it first or check the tag`,
        )
      }
      if (name === 'RepositoryNotFoundException') {
        throw new Refused(`${service}: ECR repository ${repository} does not exist in ${run.options.region}`)
      }
      throw error
    }
    run.out.info(`  ${service}: ${image} found${pushedAt ? `, pushed ${pushedAt.toISOString()}` : ''}`)
  }
}

/** Reads the stage's groups, refreshes, recorded tags and launch template versions, and plans each service. */
export async function readStage(run: ReleaseRun, tags: Tags): Promise<ServicePlan[]> {
  run.out.info(`Reading the Auto Scaling groups of ${run.stage}`)
  const groups = await readGroups(run)
  await refuseRefreshesInProgress(run, groups)
  const recorded = await readRecordedTags(run, groups)
  const plans: ServicePlan[] = []
  for (const group of groups) {
    const recordedTag = recorded.find((parameter) => parameter.Name === group.names.imageTagParameter)?.Value
    plans.push(await planService(run, group, tags[group.service], recordedTag))
  }
  return plans
}

async function readGroups(run: ReleaseRun): Promise<GroupState[]> {
  const names = services.map((service) => namesOf(run.stage, service))
  const command = new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names.map((n) => n.group) })
  const { AutoScalingGroups: groups = [] } = await run.call(
    command,
    run.options.clients.autoScaling.send(command, run.reading),
  )
  return services.map((service, index) => {
    const serviceNames = names[index] as ServiceNames
    const group = groups.find((candidate) => candidate.AutoScalingGroupName === serviceNames.group)
    return groupState(run, service, serviceNames, group)
  })
}

function groupState(
  run: ReleaseRun,
  service: Service,
  names: ServiceNames,
  group: AutoScalingGroup | undefined,
): GroupState {
  if (!group) {
    throw new Refused(
      `Auto Scaling group ${names.group} does not exist in ${run.options.region}; ` +
        `is the ${run.stage} stage applied (make apply ENV=${run.stage})?`,
    )
  }
  const template = group.LaunchTemplate
  if (!template?.LaunchTemplateId) {
    throw new Refused(`${names.group} runs no launch template (a mixed instances policy or a launch configuration?)`)
  }
  if (template.LaunchTemplateName !== names.launchTemplate) {
    throw new Refused(`${names.group} runs launch template ${template.LaunchTemplateName}, not ${names.launchTemplate}`)
  }
  if (!/^[0-9]+$/.test(template.Version ?? '')) {
    throw new Refused(
      `${names.group} runs launch template version "${template.Version}"; ` +
        'an instance refresh rolls back only from a numbered version',
    )
  }
  const warmup = [group.DefaultInstanceWarmup, group.HealthCheckGracePeriod].find(
    (seconds) => seconds !== undefined && seconds >= 0,
  )
  if (warmup === undefined) {
    throw new Refused(`${names.group} has neither DefaultInstanceWarmup nor HealthCheckGracePeriod`)
  }
  const strayInstances = (group.Instances ?? []).filter(
    (instance) =>
      instance.LaunchTemplate?.LaunchTemplateId !== template.LaunchTemplateId ||
      instance.LaunchTemplate?.Version !== template.Version,
  ).length
  return {
    service,
    names,
    launchTemplateId: template.LaunchTemplateId,
    runningVersion: Number(template.Version),
    warmup,
    strayInstances,
  }
}

async function refuseRefreshesInProgress(run: ReleaseRun, groups: GroupState[]): Promise<void> {
  const running: string[] = []
  for (const { names } of groups) {
    const command = new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: names.group })
    const answer = await run.call(command, run.options.clients.autoScaling.send(command, run.reading))
    const active = answer.InstanceRefreshes?.find(isRefreshInProgress)
    if (active) {
      const cancel = run.awsCli(`autoscaling cancel-instance-refresh --auto-scaling-group-name ${names.group}`)
      running.push(
        `${names.group} has an instance refresh in progress (${active.InstanceRefreshId}, ${active.Status}, ` +
          `${active.PercentageComplete ?? 0}%): wait for it to end or cancel it with "${cancel}"`,
      )
    }
  }
  if (running.length > 0) throw new Refused(running.join('; '))
}

async function readRecordedTags(run: ReleaseRun, groups: GroupState[]): Promise<Parameter[]> {
  const command = new GetParametersCommand({ Names: groups.map(({ names }) => names.imageTagParameter) })
  const { Parameters: recorded = [] } = await run.call(command, run.options.clients.ssm.send(command, run.reading))
  return recorded
}

async function planService(
  run: ReleaseRun,
  group: GroupState,
  targetTag: string,
  recordedTag: string | undefined,
): Promise<ServicePlan> {
  const { names, runningVersion, strayInstances } = group
  const command = new DescribeLaunchTemplateVersionsCommand({
    LaunchTemplateId: group.launchTemplateId,
    Versions: [String(runningVersion), '$Latest'],
  })
  const answer = await run.call(command, run.options.clients.ec2.send(command, run.reading))
  const versions = answer.LaunchTemplateVersions ?? []
  const running = versions.find((candidate) => candidate.VersionNumber === runningVersion)
  const latest = versions.reduce<LaunchTemplateVersion | undefined>(
    (newest, candidate) => ((candidate.VersionNumber ?? 0) > (newest?.VersionNumber ?? 0) ? candidate : newest),
    undefined,
  )
  if (!running || latest?.VersionNumber === undefined) {
    throw new Refused(
      `launch template ${names.launchTemplate}: DescribeLaunchTemplateVersions did not return version ${runningVersion} and the latest version`,
    )
  }
  const current = imageOf(names, running)
  const newest = imageOf(names, latest)

  const latestVersion = latest.VersionNumber
  const action =
    newest.tag !== targetTag
      ? 'release'
      : latestVersion !== runningVersion
        ? 'latest'
        : strayInstances > 0
          ? 'converge'
          : 'none'
  return {
    ...group,
    latestVersion,
    latestUserData: newest.userData,
    currentTag: current.tag,
    latestTag: newest.tag,
    recordedTag,
    targetTag,
    targetReference: imageReference(newest.repositoryUrl, targetTag),
    action,
  }
}

/** The image a launch template version's user data names; refused unless it is one of the service's repository. */
function imageOf(
  names: ServiceNames,
  version: LaunchTemplateVersion,
): { userData: string; repositoryUrl: string; tag: string } {
  const where = `launch template ${names.launchTemplate} version ${version.VersionNumber}`
  const encoded = version.LaunchTemplateData?.UserData
  if (!encoded) throw new Refused(`${where} has no user data`)
  const userData = decodeUserData(encoded)
  let reference: string
  try {
    reference = readImage(userData)
  } catch (error) {
    throw new Refused(`${where}: its user data cannot be read: ${(error as Error).message}`)
  }
  const image = parseReference(reference)
  if (!image?.repositoryUrl.endsWith(`/${names.repository}`)) {
    throw new Refused(`${where} runs IMAGE=${reference}, which is not an image of ${names.repository}`)
  }
  return { userData, ...image }
}

export function printPlan(run: ReleaseRun): void {
  run.out.info(`What runs in ${run.stage} now, and what will run:`)
  for (const plan of run.plans) {
    const recorded =
      plan.recordedTag !== undefined && plan.recordedTag !== plan.currentTag ? ` (recorded: ${plan.recordedTag})` : ''
    const pending =
      plan.latestVersion !== plan.runningVersion
        ? `; launch template version ${plan.latestVersion}, the latest, is not rolled out yet`
        : ''
    const next = {
      release: ` (a new launch template version from version ${plan.latestVersion}, the latest)`,
      latest: ` (launch template version ${plan.latestVersion} carries it: rolling that version out rolls out the launch template changes made since version ${plan.runningVersion})`,
      converge: ` (unchanged; ${plan.strayInstances} instance(s) run another version and will be replaced)`,
      none: ' (unchanged, nothing to do)',
    }[plan.action]
    run.out.info(
      `  ${plan.service}  now  ${plan.currentTag}  (${plan.names.group}, launch template version ${plan.runningVersion}${pending})${recorded}`,
    )
    run.out.info(`        next ${plan.targetTag}${next}`)
  }
  const previous = run.plans.map((plan) => `${plan.service.toUpperCase()}=${plan.currentTag}`).join(' ')
  run.out.info(`To go back to what runs now: make release ENV=${run.stage} ${previous}`)
}
