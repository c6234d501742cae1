import { afterAll, describe, expect, test } from 'bun:test'
import { clockTicksPerSecond, cpuTicks, loadAverage, parseStat, peakRssMb, serverPid } from '../src/proc'

describe('parseStat', () => {
  test('reads pid, parent and user + system ticks, even when the command name holds spaces and parentheses', () => {
    const stat =
      '4242 (bun (a) b) S 4200 4242 4242 0 -1 4194560 1000 0 0 0 250 37 0 0 20 0 5 0 1234 100000000 20000 ' +
      '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0'
    expect(parseStat(stat)).toEqual({ pid: 4242, parentPid: 4200, cpuTicks: 287 })
  })
})

describe('the running system', () => {
  // sh waits for sleep (a second command follows it), as `bun run start` waits for the server it started.
  const wrapper = Bun.spawn(['sh', '-c', 'sleep 30; true'])
  afterAll(() => {
    for (const pid of [serverPid(wrapper.pid), wrapper.pid]) process.kill(pid, 'SIGKILL')
  })

  test('serverPid finds the process that a wrapper started, and a process without children itself', async () => {
    let sleeper = wrapper.pid
    for (let attempt = 0; attempt < 50 && sleeper === wrapper.pid; attempt++) {
      await Bun.sleep(20)
      sleeper = serverPid(wrapper.pid)
    }
    expect(sleeper).not.toBe(wrapper.pid)
    expect(await Bun.file(`/proc/${sleeper}/cmdline`).text()).toStartWith('sleep\0')
    expect(serverPid(sleeper)).toBe(sleeper)
  })

  test('cpuTicks counts the CPU time the process reports itself', () => {
    const ticksPerSecond = clockTicksPerSecond()
    const usageBefore = process.cpuUsage()
    const ticksBefore = cpuTicks([process.pid])
    let usedUs = 0
    while (usedUs < 300_000) {
      const usage = process.cpuUsage(usageBefore)
      usedUs = usage.user + usage.system
    }
    const measuredUs = ((cpuTicks([process.pid]) - ticksBefore) / ticksPerSecond) * 1e6
    // Ticks are whole: one tick of rounding at each end, a little more for the threads besides the loop.
    expect(measuredUs).toBeGreaterThanOrEqual(usedUs - 2e6 / ticksPerSecond)
    expect(measuredUs).toBeLessThanOrEqual(usedUs + 100_000)
  })

  test('cpuTicks fails for a process that is gone', async () => {
    const ended = Bun.spawn(['true'])
    await ended.exited
    expect(() => cpuTicks([ended.pid])).toThrow('ENOENT')
  })

  test('peakRssMb and loadAverage read plausible values', () => {
    expect(peakRssMb(process.pid)).toBeGreaterThan(1)
    expect(loadAverage()).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+$/)
  })
})
