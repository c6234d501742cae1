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

import { AwsCallError, exitCodes, Failed, Interrupted, Refused } from './errors'
import { RefreshFailed, refreshCommandsByHand, refreshFailureReport, refreshTo } from './instance-refresh'
import { createVersion, deleteCreatedVersion } from './launch-template-version'
import { services } from './names'
import { checkImages, checkTags, printPlan, readStage, type Tags } from './plan'
import { previousTags, recordReleasedTags, recordWhatRunsNow } from './recorded-tags'
import { type ReleaseOptions, ReleaseRun } from './release-run'

export type { Tags } from './plan'
export type { Output, ReleaseOptions } from './release-run'
export { exitCodes }

class Release extends ReleaseRun {
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

async function run(release: Release, steps: () => Promise<void>): Promise<number> {
  try {
    await steps()
    return exitCodes.released
  } catch (error) {
    return await release.stopped(error)
  }
}

async function rollOut(release: Release, tags: Tags): Promise<void> {
  checkTags(tags)
  await checkImages(release, tags)
  release.checkInterrupt()
  release.plans = await readStage(release, tags)
  release.checkInterrupt()
  printPlan(release)
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
