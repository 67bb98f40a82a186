"use strict"
/** Chromium (Debian's, or CHROMIUM_PATH) driven by playwright-core, with screenshots under artifacts/. */
const fs = require("fs")
const path = require("path")
const { chromium } = require("playwright-core")

const ROOT = path.resolve(__dirname, "../..")
const ARTIFACTS = path.join(ROOT, "artifacts", "admin-e2e")

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter(Boolean)
  const found = candidates.find((candidate) => fs.existsSync(candidate))
  if (!found) throw new Error("no chromium found: apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH")
  return found
}

/** The browser, one context and page; `artifacts` is where screenshots go, `args` chromium's flags. */
async function launch({ artifacts = ARTIFACTS, args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] } = {}) {
  fs.mkdirSync(artifacts, { recursive: true })
  const browser = await chromium.launch({ executablePath: chromiumPath(), args })
  const { context, page, consoleErrors } = await newPage(browser)
  return { browser, context, page, consoleErrors }
}

/** A context of its own (own cookies: another shopper) with one page whose uncaught errors are collected. */
async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 })
  context.setDefaultTimeout(Number(process.env.E2E_STEP_TIMEOUT_MS || 30_000))
  const page = await context.newPage()
  const consoleErrors = []
  page.on("pageerror", (error) => consoleErrors.push(String(error)))
  return { context, page, consoleErrors }
}

/** A full-page screenshot; with `focus`, that element is scrolled into view first (the admin scrolls inside its main pane). */
async function screenshot(page, name, focus) {
  const file = path.join(ARTIFACTS, `${name}.png`)
  if (focus) await focus.scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

module.exports = { launch, newPage, screenshot, ARTIFACTS, ROOT }
