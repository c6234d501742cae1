// release() and rollback(): the steps of a run in order; README.md ("What it does") tells each of them for people.
import { exitCodes } from './errors'
import { refreshTo } from './instance-refresh'
import { createVersion } from './launch-template-version'
import { services } from './names'
import { checkImages, checkTags, printPlan, readStage, type Tags } from './plan'
import { previousTags, recordReleasedTags } from './recorded-tags'
import { type ReleaseOptions, ReleaseRun } from './release-run'
import { stoppedEarly } from './stopped-early'

export type { Tags } from './plan'
export type { Output, ReleaseOptions } from './release-run'
export { exitCodes }

/** Releases `tags` to the stage. Returns the process exit code (exitCodes); every outcome is explained on output. */
export function release(options: ReleaseOptions & { tags: Tags }): Promise<number> {
  const run = new ReleaseRun(options)
  return runSteps(run, () => releaseTags(run, options.tags))
}

/** Releases the tags recorded before the last release, through the same steps as release(). */
export function rollback(options: ReleaseOptions): Promise<number> {
  const run = new ReleaseRun(options)
  return runSteps(run, async () => {
    const tags = await previousTags(run)
    options.output.info(
      `Rolling ${options.stage} back to the tags of the release before the last one: ` +
        services.map((service) => `${service} ${tags[service]}`).join(', '),
    )
    await releaseTags(run, tags)
  })
}

async function runSteps(run: ReleaseRun, steps: () => Promise<void>): Promise<number> {
  try {
    await steps()
    return exitCodes.released
  } catch (error) {
    return await stoppedEarly(run, error)
  }
}

async function releaseTags(run: ReleaseRun, tags: Tags): Promise<void> {
  // 1. Every check, before anything changes.
  checkTags(tags)
  await checkImages(run, tags)
  run.checkInterrupt()
  run.plans = await readStage(run, tags)
  run.checkInterrupt()
  // 2. What runs now and what will run.
  printPlan(run)
  // 3. Per service, in release order.
  await rollOut(run)
  // 4. The released tags, where Terraform and the next rollback read them.
  await recordReleasedTags(run)
}

/** Per service: a new launch template version unless the latest one carries the tag, and a refresh to it. */
async function rollOut(run: ReleaseRun): Promise<void> {
  for (const plan of run.plans) {
    if (plan.action === 'none') {
      run.out.info(`${plan.service}: already runs ${plan.targetTag} on every instance; nothing to do`)
      continue
    }
    let version: string
    if (plan.action === 'release') {
      version = await createVersion(run, plan)
    } else {
      version = String(plan.latestVersion)
      run.out.info(
        plan.action === 'latest'
          ? `${plan.service}: launch template version ${version} already carries ${plan.targetTag}; rolling it out ` +
              `(it holds the launch template changes made since version ${plan.runningVersion}, the one the group runs)`
          : `${plan.service}: ${plan.strayInstances} instance(s) do not run version ${version}; replacing them`,
      )
    }
    run.checkInterrupt()
    await refreshTo(run, plan, version)
  }
}
