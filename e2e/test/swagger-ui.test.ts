// Swagger UI of app1 (wired to a real app2) and of app2 in headless Chromium, with every request to another
// origin refused: the page must render the API and "Try it out" must work from the service's own files alone,
// under its Content-Security-Policy without a single violation. `make test-browser` runs it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { AppInstance } from '../src/stack'
import { freePorts } from '../src/util'

const CHROMIUM = '/usr/bin/chromium'
const TIMEOUT_MS = 60_000

let runDir: string
let app1: AppInstance
let app2: AppInstance
let browser: BrowserContext

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), 'relay-swagger-ui-'))
  const [app1Port, app2Port] = await freePorts(2)
  const env = { ...process.env, ENVIRONMENT: 'local', LOG_LEVEL: 'warn', HOST: '127.0.0.1' }
  app2 = new AppInstance('app2', 1, app2Port, env, runDir)
  app1 = new AppInstance('app1', 1, app1Port, { ...env, APP2_URL: app2.url }, runDir)
  await app2.start()
  await app1.start()
  // A fresh profile each run, and none of Chromium's own calls home.
  browser = await chromium.launchPersistentContext(join(runDir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, TIMEOUT_MS)

afterAll(async () => {
  await browser?.close()
  await Promise.all([app1?.process.stop(), app2?.process.stop()])
  rmSync(runDir, { recursive: true, force: true })
})

interface SwaggerUiPage {
  page: Page
  /** Every request the page made, by URL. */
  requests: string[]
  /** Requests to any other origin than the service's: refused, and recorded. */
  offOrigin: string[]
  /** Content-Security-Policy violations, as the page's securitypolicyviolation events report them. */
  violations: string[]
  /** What Chromium's console says about the Content-Security-Policy. */
  cspMessages: string[]
}

async function openSwaggerUi(origin: string): Promise<SwaggerUiPage> {
  const page = await browser.newPage()
  const opened: SwaggerUiPage = { page, requests: [], offOrigin: [], violations: [], cspMessages: [] }
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (new URL(url).origin === origin) return route.continue()
    opened.offOrigin.push(url)
    return route.abort()
  })
  page.on('request', (request) => opened.requests.push(request.url()))
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) opened.cspMessages.push(message.text())
  })
  await page.exposeFunction('reportViolation', (violation: string) => opened.violations.push(violation))
  // Scripts for the page, as text: they run in the browser, not here.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => " +
      "reportViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')))",
  )
  const response = await page.goto(`${origin}/swagger`)
  expect(response?.status()).toBe(200)
  await page.locator('.opblock-summary-path').first().waitFor()
  return opened
}

const paths = (page: Page) => page.locator('.opblock-summary-path').allTextContents()

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(20)
  }
}

describe('Swagger UI, offline, in Chromium', () => {
  test(
    'app1: shows the API; Try it out with "infra" through the real app2 answers "arfni"',
    async () => {
      const { page, requests, offOrigin, violations, cspMessages } = await openSwaggerUi(app1.url)
      expect(await paths(page)).toEqual(expect.arrayContaining(['/health', '/get/send/{message}']))

      const operation = page.locator('.opblock', { hasText: '/get/send/{message}' })
      await operation.locator('.opblock-summary').click()
      await operation.getByRole('button', { name: 'Try it out' }).click()
      await operation.locator('input[placeholder="message"]').fill('infra')
      await operation.getByRole('button', { name: 'Execute' }).click()
      const answer = operation.locator('.live-responses-table tr.response')
      await answer.waitFor()
      expect((await answer.locator('.response-col_status').textContent())?.trim()).toBe('200')
      const body = await answer.locator('.response-col_description pre').first().textContent()
      expect(JSON.parse(body ?? '')).toEqual({ original: 'infra', processed: 'arfni' })

      expect(offOrigin).toEqual([])
      expect(requests.every((url) => new URL(url).origin === app1.url)).toBe(true)
      expect(requests).toContain(`${app1.url}/get/send/infra`)
      expect(violations).toEqual([])
      expect(cspMessages).toEqual([])

      // The watchers work: the CSP reports an inline style and a picture from another origin, and the route
      // refuses (and records) a request the CSP does not govern, a navigation elsewhere.
      await page.evaluate(`
        const style = document.createElement('style')
        style.textContent = 'body { color: red }'
        document.head.append(style)
        const image = document.createElement('img')
        image.src = 'https://unpkg.com/swagger-ui-dist/favicon-16x16.png'
        document.body.append(image)
      `)
      await until(() => violations.length >= 2 && cspMessages.length >= 2)
      expect(violations.sort()).toEqual([
        'img-src blocked https://unpkg.com/swagger-ui-dist/favicon-16x16.png',
        'style-src-elem blocked inline',
      ])
      expect(await page.goto('https://unpkg.com/swagger-ui-dist/').catch((error) => String(error))).toContain(
        'net::ERR_FAILED',
      )
      expect(offOrigin).toEqual(['https://unpkg.com/swagger-ui-dist/'])
      await page.close()
    },
    TIMEOUT_MS,
  )

  test(
    'app2: shows its API, from its own origin only, without a CSP violation',
    async () => {
      const { page, requests, offOrigin, violations, cspMessages } = await openSwaggerUi(app2.url)
      expect(await paths(page)).toEqual(expect.arrayContaining(['/health', '/api2/send/{message}']))
      expect(offOrigin).toEqual([])
      expect(requests.every((url) => new URL(url).origin === app2.url)).toBe(true)
      expect(violations).toEqual([])
      expect(cspMessages).toEqual([])
      await page.close()
    },
    TIMEOUT_MS,
  )
})
