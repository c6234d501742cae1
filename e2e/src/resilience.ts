// `make resilience`: starts the local stack (stack.ts), measures it, then breaks it in the ways production
// breaks (a deploy, a dying instance, an app2 outage, hostile input) under load, asserting what users see.
// Usage: bun resilience.ts <run dir>. Ends with "N passed, N failed"; exits 1 if anything failed.
import { join } from 'node:path'
import { killAllProcessGroups, recordProcessGroupsIn } from './process'
import { Report } from './report'
import { app2Outage } from './scenarios/app2-outage'
import { fuzz } from './scenarios/fuzz'
import { killInstance } from './scenarios/kill-instance'
import { rollingRestart } from './scenarios/rolling-restart'
import { steadyState } from './scenarios/steady-state'
import { Stack } from './stack'
import { now } from './util'

const runDir = process.argv[2]
if (!runDir) throw new Error('usage: bun resilience.ts <run dir>')
recordProcessGroupsIn(join(runDir, 'process-groups'))
process.on('exit', killAllProcessGroups)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

// SCENARIOS=fuzz,app2Outage runs only those (by function name), for a quicker loop while debugging one.
const only = process.env.SCENARIOS?.split(',')
const scenarios = [steadyState, rollingRestart, killInstance, app2Outage, fuzz].filter(
  (scenario) => !only || only.includes(scenario.name),
)
const report = new Report()
const startedAt = now()

report.section('starting the stack: 2x app2 behind the internal balancer, 2x app1 behind the public balancer')
let stack: Stack | undefined
try {
  stack = await Stack.start({ runDir, logLevel: 'warn' })
  report.info(`public ${stack.publicBalancer.url}, internal ${stack.internalBalancer.url}; logs in ${runDir}`)
} catch (error) {
  report.check('the stack starts', false, String(error))
}

if (stack) {
  for (const scenario of scenarios) {
    try {
      await scenario(stack, report)
    } catch (error) {
      report.check(`${scenario.name} runs to the end`, false, String(error))
    }
    try {
      await stack.heal()
    } catch (error) {
      report.check(`the stack recovers after ${scenario.name}`, false, String(error))
      break
    }
  }
  await stack.stop()
}

console.log(`\ntotal ${((now() - startedAt) / 1000).toFixed(0)} s`)
report.finish()
if (report.failed > 0) console.log(`logs of the apps and balancers: ${runDir} (kept with KEEP_RUN_DIR=1)`)
process.exit(report.failed > 0 ? 1 : 0)
