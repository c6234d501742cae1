import { afterEach, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stagesIn } from '../src/names'

let envs: string | undefined

afterEach(() => {
  if (envs) rmSync(envs, { recursive: true, force: true })
  envs = undefined
})

test('the stages are the folders with a versions.tf besides global, sorted', () => {
  envs = mkdtempSync(join(tmpdir(), 'release-envs-'))
  for (const stage of ['qa', 'dev', 'global']) {
    mkdirSync(join(envs, stage))
    writeFileSync(join(envs, stage, 'versions.tf'), 'terraform {}\n')
  }
  mkdirSync(join(envs, 'notes'))
  writeFileSync(join(envs, 'notes', 'main.tf'), '')
  writeFileSync(join(envs, 'README.md'), '# envs\n')

  expect(stagesIn(envs)).toEqual(['dev', 'qa'])
})
