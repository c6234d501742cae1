// The launch template version a release makes from the latest one, and its deletion when the release fails.

import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import {
  CreateLaunchTemplateVersionCommand,
  type CreateLaunchTemplateVersionCommandInput,
  DeleteLaunchTemplateVersionsCommand,
} from '@aws-sdk/client-ec2'
import { describeAwsError } from './aws'
import { Failed } from './errors'
import { versionDescription } from './names'
import type { ServicePlan } from './plan'
import type { ReleaseRun } from './release-run'
import { encodeUserData, replaceImage } from './user-data'

/** Creates the new launch template version and returns its number (in a dry run, a placeholder). */
export async function createVersion(run: ReleaseRun, plan: ServicePlan): Promise<string> {
  run.checkInterrupt()
  const input: CreateLaunchTemplateVersionCommandInput = {
    LaunchTemplateId: plan.launchTemplateId,
    SourceVersion: String(plan.latestVersion),
    VersionDescription: versionDescription(plan.service, plan.targetTag),
    ClientToken: crypto.randomUUID(),
    LaunchTemplateData: { UserData: encodeUserData(replaceImage(plan.latestUserData, plan.targetReference)) },
  }
  run.out.info(
    `${plan.service}: new version of launch template ${plan.names.launchTemplate} from version ${plan.latestVersion}, ` +
      `the latest, with IMAGE=${plan.targetReference}`,
  )
  if (run.options.dryRun) {
    const shown = {
      ...input,
      LaunchTemplateData: {
        UserData: `<base64 of version ${plan.latestVersion}'s user data with IMAGE=${plan.targetReference}>`,
      },
    }
    run.showUnsent('ec2', 'CreateLaunchTemplateVersion', shown)
    return '<the version created above>'
  }
  const command = new CreateLaunchTemplateVersionCommand(input)
  const answer = await run.call(command, run.options.clients.ec2.send(command))
  run.progress.changed = true
  const created = answer.LaunchTemplateVersion?.VersionNumber
  if (created === undefined) {
    throw new Failed(`CreateLaunchTemplateVersion for ${plan.names.launchTemplate} returned no version number`)
  }
  run.progress.created = { plan, version: created }
  run.out.info(`  created version ${created}`)
  return String(created)
}

/**
 * Deletes the version this run created for a service whose refresh did not succeed or never started, so that the
 * template's latest version is the last good one again and Terraform's next plan matches it. Never one the group
 * runs: after a failed refresh AWS leaves the group on its previous version, and this is checked first.
 */
export async function deleteCreatedVersion(run: ReleaseRun): Promise<string[]> {
  const { created } = run.progress
  if (!created) return []
  run.progress.created = undefined
  const { plan, version } = created
  const { autoScaling, ec2 } = run.options.clients
  const template = `launch template ${plan.names.launchTemplate}`
  try {
    const describe = new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [plan.names.group] })
    const { AutoScalingGroups: groups = [] } = await autoScaling.send(describe)
    if (groups[0]?.LaunchTemplate?.Version === String(version)) {
      run.progress.kept = plan
      return [`Version ${version} of ${template} is kept: ${plan.names.group} runs it.`]
    }
    const command = new DeleteLaunchTemplateVersionsCommand({
      LaunchTemplateId: plan.launchTemplateId,
      Versions: [String(version)],
    })
    const answer = await ec2.send(command)
    const deleted = answer.SuccessfullyDeletedLaunchTemplateVersions?.some((item) => item.VersionNumber === version)
    if (!deleted) {
      const refused = answer.UnsuccessfullyDeletedLaunchTemplateVersions?.[0]?.ResponseError
      throw new Error(refused ? `${refused.Code}: ${refused.Message}` : 'AWS did not confirm the deletion')
    }
    return [
      `Deleted version ${version} of ${template}, which no group runs: version ${plan.latestVersion} is the latest ` +
        "again, so Terraform's next plan shows no change.",
    ]
  } catch (error) {
    const byHand = run.awsCli(
      `ec2 delete-launch-template-versions --launch-template-id ${plan.launchTemplateId} --versions ${version}`,
    )
    return [
      `Version ${version} of ${template} was created and not deleted (${describeAwsError('DeleteLaunchTemplateVersions', error)}). ` +
        `Delete it with "${byHand}", or Terraform's next plan changes the template back to ${plan.latestTag}.`,
    ]
  }
}
