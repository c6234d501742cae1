// The tags recorded in the stage's SSM parameters: writing them after a release, reading the ones before for rollback.
import {
  GetParameterHistoryCommand,
  type GetParameterHistoryCommandOutput,
  type ParameterHistory,
  PutParameterCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm'
import { describeAwsError } from './aws'
import { AwsCallError, Failed, Refused } from './errors'
import { tagProblem } from './image'
import { namesOf, services } from './names'
import type { ServicePlan, Tags } from './plan'
import type { ReleaseRun } from './release-run'

/** After every service is released: records the released tags (in a dry run, prints the requests). */
export async function recordReleasedTags(run: ReleaseRun): Promise<void> {
  const rolledOut = run.plans.some((plan) => plan.action !== 'none')
  const recordsDiffer = run.plans.some((plan) => plan.recordedTag !== plan.targetTag)
  if (!rolledOut && !recordsDiffer) {
    run.out.info(`Nothing to release: ${run.stage} already runs and records these tags.`)
    return
  }
  run.progress.recording = true
  // Every parameter gets a new version on every release, changed or not, so that the versions before the last
  // of each parameter are the tags of one and the same earlier release (what rollback reads).
  for (const plan of run.plans) {
    const input = recordInput(plan, plan.targetTag)
    if (run.options.dryRun) {
      run.showUnsent('ssm', 'PutParameter', input)
      continue
    }
    try {
      const command = new PutParameterCommand(input)
      await run.call(command, run.options.clients.ssm.send(command))
    } catch (error) {
      const byHand = run.plans.map((each) => `"${putByHand(run, each, each.targetTag)}"`)
      throw new Failed(
        `${(error as Error).message}\nEvery service was released, but the tags are not recorded; record them by hand: ${byHand.join(' and ')}`,
      )
    }
  }
  const tags = run.plans.map((plan) => `${plan.service} ${plan.targetTag}`).join(', ')
  if (run.options.dryRun) {
    run.out.info(`Dry run: nothing was changed (would release ${tags} to ${run.stage}).`)
    return
  }
  run.out.info(`Recorded in ${run.plans.map((plan) => plan.names.imageTagParameter).join(' and ')}.`)
  run.out.info(`Released to ${run.stage}: ${tags}.`)
}

/**
 * After a failure that left a service released: records what runs now, both services, so that Terraform renders
 * it and a rollback finds the tags of the release before in the versions before the last.
 */
export async function recordWhatRunsNow(run: ReleaseRun): Promise<string[]> {
  if (run.progress.recording) return []
  if (run.progress.released.length === 0 && !run.progress.kept) {
    return [`The recorded tags of ${run.stage} are unchanged.`]
  }
  const tags = run.plans.map((plan) => `${plan.service} ${runsNow(run, plan)}`).join(', ')
  try {
    for (const plan of run.plans) {
      await run.options.clients.ssm.send(new PutParameterCommand(recordInput(plan, runsNow(run, plan))))
    }
  } catch (error) {
    return [
      `What runs now (${tags}) is not recorded: ${describeAwsError('PutParameter', error)}. Record it by hand: ` +
        run.plans.map((plan) => `"${putByHand(run, plan, runsNow(run, plan))}"`).join(' and '),
    ]
  }
  return [`Recorded what runs now in ${run.plans.map((plan) => plan.names.imageTagParameter).join(' and ')}: ${tags}.`]
}

/** The tag a service runs now, after a release that stopped early. */
function runsNow(run: ReleaseRun, plan: ServicePlan): string {
  return run.progress.released.includes(plan) || run.progress.kept === plan ? plan.targetTag : plan.currentTag
}

function recordInput(plan: ServicePlan, tag: string): PutParameterCommandInput {
  return { Name: plan.names.imageTagParameter, Value: tag, Type: 'String', Overwrite: true }
}

function putByHand(run: ReleaseRun, plan: ServicePlan, tag: string): string {
  return run.awsCli(`ssm put-parameter --name ${plan.names.imageTagParameter} --value ${tag} --type String --overwrite`)
}

/** The tags recorded before the last release: the second-to-last version of each service's parameter. */
export async function previousTags(run: ReleaseRun): Promise<Tags> {
  const tags: Partial<Tags> = {}
  for (const service of services) {
    const { imageTagParameter } = namesOf(run.stage, service)
    const history: ParameterHistory[] = []
    let NextToken: string | undefined
    do {
      const command = new GetParameterHistoryCommand({ Name: imageTagParameter, MaxResults: 50, NextToken })
      let page: GetParameterHistoryCommandOutput
      try {
        page = await run.call(command, run.options.clients.ssm.send(command, run.reading))
      } catch (error) {
        if (error instanceof AwsCallError && error.awsErrorName === 'ParameterNotFound') {
          throw new Refused(`no release of ${run.stage} is recorded: ${imageTagParameter} does not exist`)
        }
        throw error
      }
      history.push(...(page.Parameters ?? []))
      NextToken = page.NextToken
    } while (NextToken)
    history.sort((a, b) => (a.Version ?? 0) - (b.Version ?? 0))
    const before = history.at(-2)
    if (!before?.Value) {
      throw new Refused(
        `${imageTagParameter} records a single release of ${run.stage}: there is nothing before it to roll back to`,
      )
    }
    const problem = tagProblem(before.Value)
    if (problem) throw new Refused(`${imageTagParameter} version ${before.Version}: ${problem}`)
    tags[service] = before.Value
  }
  return tags as Tags
}
