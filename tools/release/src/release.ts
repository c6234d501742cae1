// What `make release` and `make rollback` do, step by step (README.md tells the same for people):
//   1. every check, before anything changes: the images are in ECR, both groups exist, run a numbered version of
//      their launch template, the user data of that version and of the latest one names an image of the right
//      repository, and no refresh runs on them;
//   2. what runs now and what will run;
//   3. per service, app2 then app1: a new launch template version from the latest one (Terraform's configuration
//      or the last release), with only the image changed, unless the latest version carries the image already;
//      then an instance refresh to that version number with auto rollback and the service's rollout alarm,
//      followed until it ends. A version this run created and no group runs is deleted when its refresh fails;
//   4. the tags in the stage's SSM parameters, where Terraform and the next rollback read them: after success the
//      released ones; after a failure that left a service released, what runs then.
// AWS clients, output, clock, sleep and the interrupt signal come from the caller, so tests drive all of it.

import { DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling'
import { DescribeLaunchTemplateVersionsCommand, type LaunchTemplateVersion } from '@aws-sdk/client-ec2'
import { DescribeImagesCommand } from '@aws-sdk/client-ecr'
import { GetParametersCommand } from '@aws-sdk/client-ssm'
import { AwsCallError, exitCodes, Failed, Interrupted, Refused } from './errors'
import { imageReference, isDigest, parseReference, tagProblem } from './image'
import {
  isRefreshInProgress,
  RefreshFailed,
  refreshCommandsByHand,
  refreshFailureReport,
  refreshTo,
} from './instance-refresh'
import { createVersion, deleteCreatedVersion } from './launch-template-version'
import { namesOf, type ServiceNames, services } from './names'
import type { Tags } from './plan'
import { previousTags, recordReleasedTags, recordWhatRunsNow } from './recorded-tags'
import { type ReleaseOptions, ReleaseRun } from './release-run'
import { decodeUserData, readImage } from './user-data'

export type { Tags } from './plan'
export type { Output, ReleaseOptions } from './release-run'
export { exitCodes }

class Release extends ReleaseRun {
  // 1. Checks ------------------------------------------------------------------------------------------------

  async checkImages(tags: Tags): Promise<void> {
    const { ecr } = this.options.clients
    this.out.info(`Checking the images in ECR (${this.options.region})`)
    for (const service of services) {
      const tag = tags[service]
      const { repository } = namesOf(this.stage, service)
      const image = `${repository}${isDigest(tag) ? '@' : ':'}${tag}`
      const command = new DescribeImagesCommand({
        repositoryName: repository,
        imageIds: [isDigest(tag) ? { imageDigest: tag } : { imageTag: tag }],
      })
      let pushedAt: Date | undefined
      try {
        const answer = await this.call(command, ecr.send(command, this.reading))
        if (!answer.imageDetails?.length) throw new Refused(`${service}: image ${image} is not in ECR`)
        pushedAt = answer.imageDetails[0]?.imagePushedAt
      } catch (error) {
        const name = error instanceof AwsCallError ? error.awsErrorName : undefined
        if (name === 'ImageNotFoundException') {
          throw new Refused(
            `${service}: image ${image} is not in ECR (${this.options.region}); push it first or check the tag`,
          )
        }
        if (name === 'RepositoryNotFoundException') {
          throw new Refused(`${service}: ECR repository ${repository} does not exist in ${this.options.region}`)
        }
        throw error
      }
      this.out.info(`  ${service}: ${image} found${pushedAt ? `, pushed ${pushedAt.toISOString()}` : ''}`)
    }
  }

  async readState(tags: Tags): Promise<void> {
    const { autoScaling, ec2, ssm } = this.options.clients
    const names = services.map((service) => namesOf(this.stage, service))
    this.out.info(`Reading the Auto Scaling groups of ${this.stage}`)

    const describeGroups = new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names.map((n) => n.group) })
    const { AutoScalingGroups: groups = [] } = await this.call(
      describeGroups,
      autoScaling.send(describeGroups, this.reading),
    )
    const found = services.map((service, index) => {
      const serviceNames = names[index] as ServiceNames
      const group = groups.find((candidate) => candidate.AutoScalingGroupName === serviceNames.group)
      if (!group) {
        throw new Refused(
          `Auto Scaling group ${serviceNames.group} does not exist in ${this.options.region}; ` +
            `is the ${this.stage} stage applied (make apply ENV=${this.stage})?`,
        )
      }
      const template = group.LaunchTemplate
      if (!template?.LaunchTemplateId) {
        throw new Refused(
          `${serviceNames.group} runs no launch template (a mixed instances policy or a launch configuration?)`,
        )
      }
      if (template.LaunchTemplateName !== serviceNames.launchTemplate) {
        throw new Refused(
          `${serviceNames.group} runs launch template ${template.LaunchTemplateName}, not ${serviceNames.launchTemplate}`,
        )
      }
      if (!/^[0-9]+$/.test(template.Version ?? '')) {
        throw new Refused(
          `${serviceNames.group} runs launch template version "${template.Version}"; ` +
            'an instance refresh rolls back only from a numbered version',
        )
      }
      const warmup = [group.DefaultInstanceWarmup, group.HealthCheckGracePeriod].find(
        (seconds) => seconds !== undefined && seconds >= 0,
      )
      if (warmup === undefined) {
        throw new Refused(`${serviceNames.group} has neither DefaultInstanceWarmup nor HealthCheckGracePeriod`)
      }
      const strayInstances = (group.Instances ?? []).filter(
        (instance) =>
          instance.LaunchTemplate?.LaunchTemplateId !== template.LaunchTemplateId ||
          instance.LaunchTemplate?.Version !== template.Version,
      ).length
      return {
        service,
        serviceNames,
        launchTemplateId: template.LaunchTemplateId,
        version: Number(template.Version),
        warmup,
        strayInstances,
      }
    })

    const running: string[] = []
    for (const { serviceNames } of found) {
      const command = new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: serviceNames.group })
      const answer = await this.call(command, autoScaling.send(command, this.reading))
      const active = answer.InstanceRefreshes?.find(isRefreshInProgress)
      if (active) {
        const cancel = this.awsCli(
          `autoscaling cancel-instance-refresh --auto-scaling-group-name ${serviceNames.group}`,
        )
        running.push(
          `${serviceNames.group} has an instance refresh in progress (${active.InstanceRefreshId}, ${active.Status}, ` +
            `${active.PercentageComplete ?? 0}%): wait for it to end or cancel it with "${cancel}"`,
        )
      }
    }
    if (running.length > 0) throw new Refused(running.join('; '))

    const getRecorded = new GetParametersCommand({ Names: names.map((n) => n.imageTagParameter) })
    const { Parameters: recorded = [] } = await this.call(getRecorded, ssm.send(getRecorded, this.reading))

    for (const { service, serviceNames, launchTemplateId, version, warmup, strayInstances } of found) {
      const command = new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: launchTemplateId,
        Versions: [String(version), '$Latest'],
      })
      const answer = await this.call(command, ec2.send(command, this.reading))
      const versions = answer.LaunchTemplateVersions ?? []
      const running = versions.find((candidate) => candidate.VersionNumber === version)
      const latest = versions.reduce<LaunchTemplateVersion | undefined>(
        (newest, candidate) => ((candidate.VersionNumber ?? 0) > (newest?.VersionNumber ?? 0) ? candidate : newest),
        undefined,
      )
      if (!running || latest?.VersionNumber === undefined) {
        throw new Refused(
          `launch template ${serviceNames.launchTemplate}: DescribeLaunchTemplateVersions did not return version ${version} and the latest version`,
        )
      }
      const current = this.imageOf(serviceNames, running)
      const newest = this.imageOf(serviceNames, latest)

      const targetTag = tags[service]
      const latestVersion = latest.VersionNumber
      const action =
        newest.tag !== targetTag
          ? 'release'
          : latestVersion !== version
            ? 'latest'
            : strayInstances > 0
              ? 'converge'
              : 'none'
      this.plans.push({
        service,
        names: serviceNames,
        launchTemplateId,
        runningVersion: version,
        strayInstances,
        warmup,
        latestVersion,
        latestUserData: newest.userData,
        currentTag: current.tag,
        latestTag: newest.tag,
        recordedTag: recorded.find((parameter) => parameter.Name === serviceNames.imageTagParameter)?.Value,
        targetTag,
        targetReference: imageReference(newest.repositoryUrl, targetTag),
        action,
      })
    }
  }

  /** The image a launch template version's user data names; refused unless it is one of the service's repository. */
  private imageOf(
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

  // 2. What runs now and what will run ---------------------------------------------------------------------------

  printPlan(): void {
    this.out.info(`What runs in ${this.stage} now, and what will run:`)
    for (const plan of this.plans) {
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
      this.out.info(
        `  ${plan.service}  now  ${plan.currentTag}  (${plan.names.group}, launch template version ${plan.runningVersion}${pending})${recorded}`,
      )
      this.out.info(`        next ${plan.targetTag}${next}`)
    }
    const previous = this.plans.map((plan) => `${plan.service.toUpperCase()}=${plan.currentTag}`).join(' ')
    this.out.info(`To go back to what runs now: make release ENV=${this.stage} ${previous}`)
  }

  // 3. Rollout, one service after the other ---------------------------------------------------------------------

  async rollOut(): Promise<void> {
    for (const plan of this.plans) {
      if (plan.action === 'none') {
        this.out.info(`${plan.service}: already runs ${plan.targetTag} on every instance; nothing to do`)
        continue
      }
      let version: string
      if (plan.action === 'release') {
        version = await createVersion(this, plan)
      } else {
        version = String(plan.latestVersion)
        this.out.info(
          plan.action === 'latest'
            ? `${plan.service}: launch template version ${version} already carries ${plan.targetTag}; rolling it out ` +
                `(it holds the launch template changes made since version ${plan.runningVersion}, the one the group runs)`
            : `${plan.service}: ${plan.strayInstances} instance(s) do not run version ${version}; replacing them`,
        )
      }
      this.checkInterrupt()
      await refreshTo(this, plan, version)
    }
  }

  /** Cleans up what a failed or interrupted run left, prints why it stopped and what runs, returns the exit code. */
  async stopped(error: unknown): Promise<number> {
    if (error instanceof Interrupted) {
      for (const line of await this.interruptReport()) this.out.error(line)
      return exitCodes.interrupted
    }
    if (error instanceof Refused) {
      this.out.error(`error: ${error.message}`)
      return exitCodes.refused
    }
    const message = error instanceof Failed || error instanceof AwsCallError ? error.message : String(error)
    if (!this.progress.changed) {
      this.out.error(`error: ${message} (nothing was changed)`)
      return exitCodes.refused
    }
    const lines = error instanceof RefreshFailed ? refreshFailureReport(this, error) : [`error: ${message}`]
    const { refresh } = this.progress
    // A refresh still running (the tool lost track of it) uses the version: it stays.
    if (refresh) lines.push(...refreshCommandsByHand(this, refresh))
    else lines.push(...(await deleteCreatedVersion(this)))
    if (error instanceof RefreshFailed) {
      for (const released of this.progress.released) {
        lines.push(`${released.service} was released before and runs ${released.targetTag}.`)
      }
      const pending = this.plans.slice(this.plans.indexOf(error.plan) + 1).filter((next) => next.action !== 'none')
      for (const next of pending) lines.push(`${next.service} was not released: it still runs ${next.currentTag}.`)
    }
    lines.push(...(await recordWhatRunsNow(this)))
    if (error instanceof RefreshFailed) {
      const back = this.plans.map((each) => `${each.service.toUpperCase()}=${each.currentTag}`).join(' ')
      lines.push(`To run what ran before everywhere: make release ENV=${this.stage} ${back}`)
    }
    for (const line of lines) this.out.error(line)
    return exitCodes.failed
  }

  private async interruptReport(): Promise<string[]> {
    const { refresh, released, changed } = this.progress
    if (!changed) return ['Interrupted before any change: nothing was changed.']
    const lines: string[] = []
    if (refresh) {
      lines.push(
        `Interrupted. The instance refresh of ${refresh.plan.names.group} (${refresh.id}) goes on in AWS; ` +
          'this tool stopped following it.',
        ...refreshCommandsByHand(this, refresh),
      )
    } else {
      lines.push('Interrupted.')
    }
    for (const plan of released) lines.push(`${plan.service} was released and runs ${plan.targetTag}.`)
    // A version no refresh has started with is deleted; one a running refresh rolls out stays.
    if (!refresh) lines.push(...(await deleteCreatedVersion(this)))
    const notStarted = this.plans.filter(
      (plan) => plan.action !== 'none' && !released.includes(plan) && plan !== refresh?.plan,
    )
    for (const plan of notStarted) lines.push(`${plan.service} was not released: it runs ${plan.currentTag}.`)
    lines.push(
      `The tags are not recorded. Once ${refresh ? `${refresh.plan.service}'s refresh has succeeded` : 'you are ready'}, ` +
        'run the same release again: it skips what already runs the new tag and records the tags.',
    )
    return lines
  }
}

function validTags(tags: Tags): string | null {
  for (const service of services) {
    const problem = tagProblem(tags[service])
    if (problem) return `${service.toUpperCase()}: ${problem}`
  }
  return null
}

async function run(release: Release, steps: () => Promise<void>): Promise<number> {
  try {
    await steps()
    return exitCodes.released
  } catch (error) {
    return await release.stopped(error)
  }
}

async function rollOut(release: Release, tags: Tags): Promise<void> {
  const problem = validTags(tags)
  if (problem) throw new Refused(problem)
  await release.checkImages(tags)
  release.checkInterrupt()
  await release.readState(tags)
  release.checkInterrupt()
  release.printPlan()
  await release.rollOut()
  await recordReleasedTags(release)
}

/** Releases `tags` to the stage. Returns the process exit code (exitCodes); every outcome is explained on output. */
export function release(options: ReleaseOptions & { tags: Tags }): Promise<number> {
  const state = new Release(options)
  return run(state, () => rollOut(state, options.tags))
}

/** Releases the tags recorded before the last release, through the same steps as release(). */
export function rollback(options: ReleaseOptions): Promise<number> {
  const state = new Release(options)
  return run(state, async () => {
    const tags = await previousTags(state)
    options.output.info(
      `Rolling ${options.stage} back to the tags of the release before the last one: ` +
        services.map((service) => `${service} ${tags[service]}`).join(', '),
    )
    await rollOut(state, tags)
  })
}
