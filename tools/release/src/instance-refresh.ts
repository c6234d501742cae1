// An instance refresh to a launch template version: starting it, following it until it ends, and its end states.
import {
  DescribeInstanceRefreshesCommand,
  type InstanceRefresh,
  StartInstanceRefreshCommand,
  type StartInstanceRefreshCommandInput,
} from '@aws-sdk/client-auto-scaling'
import { Failed } from './errors'
import type { ServicePlan } from './plan'
import type { ReleaseRun, StartedRefresh } from './release-run'

const pollIntervalMs = 15_000
// A progress line at least this often, even when nothing moved, so a long warm-up does not look like a hang.
const progressEveryMs = 60_000

const inProgress = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'])

// Instance refresh preferences. Full capacity stays in service: new instances are launched (up to twice the
// group) and must pass the target group's health check and the warm-up before old ones go.
const minHealthyPercentage = 100
const maxHealthyPercentage = 200

export function isRefreshInProgress(refresh: InstanceRefresh): boolean {
  return inProgress.has(refresh.Status ?? '')
}

/** An instance refresh that ended other than Successful. */
export class RefreshFailed extends Failed {
  constructor(
    readonly plan: ServicePlan,
    readonly version: string,
    readonly refresh: InstanceRefresh,
  ) {
    super(`${plan.service}'s instance refresh ended ${refresh.Status}`)
  }
}

/** Refreshes the service's group to `version` and follows the refresh; throws RefreshFailed unless it succeeds. */
export async function refreshTo(run: ReleaseRun, plan: ServicePlan, version: string): Promise<void> {
  const input: StartInstanceRefreshCommandInput = {
    AutoScalingGroupName: plan.names.group,
    Strategy: 'Rolling',
    DesiredConfiguration: {
      LaunchTemplate: { LaunchTemplateId: plan.launchTemplateId, Version: version },
    },
    Preferences: {
      MinHealthyPercentage: minHealthyPercentage,
      MaxHealthyPercentage: maxHealthyPercentage,
      InstanceWarmup: plan.warmup,
      SkipMatching: true,
      AutoRollback: true,
      AlarmSpecification: { Alarms: [plan.names.rolloutAlarm] },
    },
  }
  run.out.info(
    `${plan.service}: instance refresh of ${plan.names.group} to version ${version} (warm-up ${plan.warmup} s, ` +
      `rolls back on failure or alarm ${plan.names.rolloutAlarm})`,
  )
  if (run.options.dryRun) {
    run.showUnsent('autoscaling', 'StartInstanceRefresh', input)
    return
  }
  const command = new StartInstanceRefreshCommand(input)
  const answer = await run.call(command, run.options.clients.autoScaling.send(command))
  run.progress.changed = true
  const id = answer.InstanceRefreshId
  if (!id) throw new Failed(`StartInstanceRefresh for ${plan.names.group} returned no refresh ID`)
  run.progress.refresh = { plan, id }
  run.out.info(`  started ${id}; following it (Ctrl-C stops following, not the refresh)`)

  const result = await follow(run, plan, id)
  run.progress.refresh = undefined
  if (result.Status !== 'Successful') throw new RefreshFailed(plan, version, result)
  run.progress.created = undefined
  run.progress.released.push(plan)
  run.out.info(`${plan.service}: released, every instance runs ${plan.targetTag} (launch template version ${version})`)
}

/** Looks at the refresh until it ends, printing a line when it moved or a minute has passed; returns how it ended. */
async function follow(run: ReleaseRun, plan: ServicePlan, id: string): Promise<InstanceRefresh> {
  const now = run.options.now ?? Date.now
  const sleep = run.options.sleep ?? sleepUnlessAborted
  const started = now()
  let shown = ''
  let shownAt = started
  for (;;) {
    run.checkInterrupt()
    await sleep(run.options.pollIntervalMs ?? pollIntervalMs, run.options.signal)
    run.checkInterrupt()
    const command = new DescribeInstanceRefreshesCommand({
      AutoScalingGroupName: plan.names.group,
      InstanceRefreshIds: [id],
    })
    const answer = await run.call(command, run.options.clients.autoScaling.send(command, run.reading))
    const refresh = answer.InstanceRefreshes?.[0]
    if (!refresh) throw new Failed(`instance refresh ${id} of ${plan.names.group} is no longer listed`)
    const state = progressOf(refresh)
    const at = now()
    if (state !== shown || at - shownAt >= progressEveryMs) {
      run.out.info(`  ${plan.service}: ${state}, ${elapsed(at - started)}`)
      shown = state
      shownAt = at
    }
    if (!isRefreshInProgress(refresh)) return refresh
  }
}

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Status, percentage and instances left; of the rollback once one runs. */
function progressOf(refresh: InstanceRefresh): string {
  const rollback = refresh.Status?.startsWith('Rollback') ? refresh.RollbackDetails : undefined
  const percentage = (rollback ? rollback.PercentageCompleteOnRollback : refresh.PercentageComplete) ?? 0
  const left = rollback ? rollback.InstancesToUpdateOnRollback : refresh.InstancesToUpdate
  return `${refresh.Status} ${percentage}%${left === undefined ? '' : `, ${left} instance(s) left`}`
}

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
}

/** Why a service's refresh stopped and what runs in that service now. */
export function refreshFailureReport(run: ReleaseRun, { plan, version, refresh }: RefreshFailed): string[] {
  const reason = refresh.StatusReason ? `: ${refresh.StatusReason}` : ''
  const lines = [`error: ${plan.service}'s instance refresh ended ${refresh.Status}${reason}`]
  const previous = `${plan.currentTag} (launch template version ${plan.runningVersion})`
  switch (refresh.Status) {
    case 'RollbackSuccessful':
      lines.push(`${plan.service} was rolled back: every instance runs the previous version again, ${previous}.`)
      break
    case 'RollbackFailed':
      lines.push(
        `${plan.service}'s rollback failed: its instances may run ${plan.currentTag} or ${plan.targetTag}. ` +
          `See "${run.awsCli(`autoscaling describe-scaling-activities --auto-scaling-group-name ${plan.names.group}`)}".`,
      )
      break
    default:
      // Cancelled or Failed without a rollback: the group keeps its configuration, replaced instances stay.
      lines.push(
        `${plan.names.group} keeps the previous version, ${previous}; instances replaced before the refresh ` +
          `stopped run ${plan.targetTag} (version ${version}) until they are replaced again.`,
      )
  }
  return lines
}

/** The aws CLI commands that follow, cancel or roll back a refresh the tool no longer follows. */
export function refreshCommandsByHand(run: ReleaseRun, { plan, id }: StartedRefresh): string[] {
  const group = `--auto-scaling-group-name ${plan.names.group}`
  return [
    `  follow it:    ${run.awsCli(`autoscaling describe-instance-refreshes ${group} --instance-refresh-ids ${id}`)}`,
    `  cancel it:    ${run.awsCli(`autoscaling cancel-instance-refresh ${group}`)}  (replaced instances keep the new image)`,
    `  roll it back: ${run.awsCli(`autoscaling rollback-instance-refresh ${group}`)}`,
  ]
}
