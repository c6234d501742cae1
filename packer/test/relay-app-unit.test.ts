// The systemd unit the AMI ships: systemd's own verifier, then the settings the boot contract needs.
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const filesDir = resolve(import.meta.dir, '..', 'files')
const unitText = readFileSync(join(filesDir, 'relay-app.service'), 'utf8')
const scriptPath = join(filesDir, 'relay-app-container')

/** Section -> key -> values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {}
  let current: Record<string, string[]> = {}
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue
    const header = line.match(/^\[(.+)\]$/)
    if (header) {
      current = {}
      sections[header[1]] = current
      continue
    }
    const eq = line.indexOf('=')
    const key = line.slice(0, eq)
    current[key] = [...(current[key] ?? []), line.slice(eq + 1)]
  }
  return sections
}

const unit = parseUnit(unitText)
const one = (section: string, key: string) => {
  const values = unit[section]?.[key] ?? []
  expect(values).toHaveLength(1)
  return values[0]
}

describe('relay-app.service', () => {
  test('passes systemd-analyze verify without a warning', () => {
    // The verifier checks that ExecStart exists and that required units are known: point it at the
    // repository's script and give it a stand-in docker.service, since this machine runs no Docker.
    const dir = mkdtempSync(join(tmpdir(), 'relay-unit-'))
    writeFileSync(join(dir, 'relay-app.service'), unitText.replaceAll('/usr/local/bin/relay-app-container', scriptPath))
    writeFileSync(join(dir, 'docker.service'), '[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n')
    const result = Bun.spawnSync(['systemd-analyze', 'verify', '--man=no', join(dir, 'relay-app.service')])
    const output = `${result.stdout.toString()}${result.stderr.toString()}`.trim()
    expect(output).toBe('')
    expect(result.exitCode).toBe(0)
  })

  test('starts after Docker and the network, and needs Docker', () => {
    expect(one('Unit', 'Requires')).toBe('docker.service')
    expect(one('Unit', 'After').split(/\s+/).sort()).toEqual(['docker.service', 'network-online.target'])
    expect(one('Unit', 'Wants')).toBe('network-online.target')
  })

  test("reads the runtime settings Terraform's user data writes", () => {
    expect(one('Service', 'EnvironmentFile')).toBe('/etc/relay/runtime.env')
  })

  test('runs and stops the container through relay-app-container', () => {
    expect(one('Service', 'ExecStart')).toBe('/usr/local/bin/relay-app-container run')
    expect(one('Service', 'ExecStop')).toBe('/usr/local/bin/relay-app-container stop')
  })

  test('restarts forever', () => {
    expect(one('Service', 'Restart')).toBe('always')
    expect(Number(one('Service', 'RestartSec'))).toBeGreaterThan(0)
    expect(one('Unit', 'StartLimitIntervalSec')).toBe('0')
  })

  test("waits longer than docker stop's grace period before killing", () => {
    const script = readFileSync(scriptPath, 'utf8')
    const grace = Number(script.match(/^readonly stop_timeout_seconds=(\d+)$/m)?.[1])
    expect(grace).toBeGreaterThanOrEqual(30)
    expect(Number(one('Service', 'TimeoutStopSec'))).toBeGreaterThan(grace)
  })

  test('can be enabled for multi-user boot', () => {
    expect(one('Install', 'WantedBy')).toBe('multi-user.target')
  })
})
