// The six scenarios: what wrk loads, and which server processes answer it (their CPU time is the scenario's).
import type { Server } from './services'

export const MESSAGE = 'infra'
/** A correct answer to MESSAGE contains this; measuring a broken endpoint would only measure how fast it fails. */
export const EXPECTED_BODY_PART = '"processed":"arfni"'

export interface Scenario {
  /** Short name, used in the names of the wrk reports. */
  name: string
  title: string
  /** wrk loads the first; the others serve behind it. */
  servers: Server[]
  path: string
}

const app1Path = `/get/send/${MESSAGE}`
const app2Path = `/api2/send/${MESSAGE}`

export const SCENARIOS: Scenario[] = [
  { name: 'app2', title: 'app2 alone', servers: ['app2'], path: app2Path },
  { name: 'chain', title: 'app1 -> app2', servers: ['app1', 'app2'], path: app1Path },
  {
    name: 'baseline-chain',
    title: 'baseline app1 -> app2',
    servers: ['baseline-app1', 'baseline-app2'],
    path: app1Path,
  },
  { name: 'baseline-app2', title: 'baseline app2 alone', servers: ['baseline-app2'], path: app2Path },
  {
    name: 'work-chain',
    title: 'baseline+work app1 -> app2',
    servers: ['baseline-work-app1', 'baseline-work-app2'],
    path: app1Path,
  },
  { name: 'work-app2', title: 'baseline+work app2', servers: ['baseline-work-app2'], path: app2Path },
]

/** The scenarios the report compares. */
export const CHAIN = 'chain'
export const BASELINE_CHAIN = 'baseline-chain'
export const WORK_CHAIN = 'work-chain'
