// `make stack`: runs the local copy of the AWS topology until Ctrl-C. Usage: bun serve.ts <run dir>
import { join } from 'node:path'
import { killAllProcessGroups, recordProcessGroupsIn } from './process'
import { Stack } from './stack'

const runDir = process.argv[2]
if (!runDir) throw new Error('usage: bun serve.ts <run dir>')
recordProcessGroupsIn(join(runDir, 'process-groups'))
process.on('exit', killAllProcessGroups)

let stack: Stack | undefined
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    // While starting, exiting is enough: the exit handler kills whatever already runs.
    if (!stack) process.exit(130)
    if (stopping) return
    stopping = true
    console.log('\nstopping: public balancer, app1, internal balancer, app2...')
    await stack.stop()
    process.exit(0)
  })
}

console.log('starting 2x app2 behind the internal balancer, 2x app1 behind the public balancer...')
stack = await Stack.start({ runDir, logLevel: process.env.LOG_LEVEL ?? 'info' })

const describe = (label: string, url: string, instances: { name: string; url: string }[]) =>
  `${label} ${url}\n${instances.map((instance) => `    ${instance.name}  ${instance.url}`).join('\n')}`
console.log(`
${describe('internal balancer (app2):', stack.internalBalancer.url, stack.app2)}
${describe('public balancer (app1):  ', stack.publicBalancer.url, stack.app1)}
logs and HAProxy configs: ${runDir} (e.g. tail -f ${runDir}/app1-1.log; removed on exit unless KEEP_RUN_DIR=1)

Try: curl ${stack.publicBalancer.url}/get/send/infra
Ctrl-C stops everything.`)
