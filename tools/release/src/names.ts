// Every AWS name the release tool uses, derived from the stage and the service in this one place. They follow
// terraform/modules/stack and terraform/modules/service (`${project}-${environment}-${service}`); the contract test
// (test/contract.test.ts) plans the stages with Terraform and fails when the two disagree.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const project = 'relay'

/**
 * The stages in a folder like terraform/envs: its root modules (folders with a versions.tf) besides global, sorted.
 * A new stage folder is a stage here too.
 */
export function stagesIn(envs: string): string[] {
  return readdirSync(envs, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && entry.name !== 'global' && existsSync(join(envs, entry.name, 'versions.tf')),
    )
    .map((entry) => entry.name)
    .sort()
}

export const stages: readonly string[] = stagesIn(join(import.meta.dir, '..', '..', '..', 'terraform', 'envs'))
export type Stage = string

// Release order: app2 first, so that app1 never runs ahead of the app2 it calls.
export const services = ['app2', 'app1'] as const
export type Service = (typeof services)[number]

export function isStage(value: string): value is Stage {
  return stages.includes(value)
}

export interface ServiceNames {
  /** Auto Scaling group, e.g. relay-dev-app1. */
  group: string
  /** Launch template the group runs a numbered version of; named like the group. */
  launchTemplate: string
  /** Alarm that fails and rolls back an instance refresh when the service answers 5xx. */
  rolloutAlarm: string
  /** ECR repository of the service's images, shared by all stages. */
  repository: string
  /** SSM parameter holding the tag last released to the stage (String, one version per release). */
  imageTagParameter: string
}

/**
 * Description of a launch template version that runs `tag`: make release writes it as the VersionDescription, and
 * terraform/modules/service as the template's description, which the AWS provider reads from the latest version.
 * Both must be the same text, or Terraform's next plan after a release changes the template.
 */
export function versionDescription(service: Service, tag: string): string {
  return `${service} ${tag}`
}

export function namesOf(stage: Stage, service: Service): ServiceNames {
  const group = `${project}-${stage}-${service}`
  return {
    group,
    launchTemplate: group,
    rolloutAlarm: `${group}-rollout-5xx`,
    repository: `${project}/${service}`,
    imageTagParameter: `/${project}/${stage}/${service}/image-tag`,
  }
}
