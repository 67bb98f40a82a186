"use strict"
/**
 * The Uplift admin in a real browser, against a running demo store (scripts/e2e-admin.sh starts one):
 * log in; create a discount policy through the form (a field error for a bad value first); find it in the
 * list; open its report (empty, then with live decisions); a hold rule through the rule editor; shoppers
 * check out and are held; open a held order from the review queue, release it, and see the order widget
 * change; customer, promotion and models pages. Screenshots of each page go to artifacts/admin-e2e/.
 *
 * env: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_URL (to read the demo store's basics).
 */
const assert = require("assert")
const { Client } = require("pg")
const { launch, screenshot, ARTIFACTS } = require("./browser")
const { adminClient, shopper, firstVariant, openCart, checkout, waitFor } = require("./api")

const BASE = process.env.BASE_URL || "http://localhost:9000"
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || "admin@medusa-uplift.local"
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || "uplift-demo"
const RUN = Date.now().toString(36)

const started = Date.now()
const log = (message) => console.log(`[admin-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`)

async function demoBasics() {
  const client = new Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  try {
    const { rows } = await client.query(`select metadata->'medusa_uplift_demo'->'basics' as basics from store limit 1`)
    assert(rows[0]?.basics, "the demo seed's store basics are missing (run node scripts/demo.js --seed-only)")
    const seeded = await client.query(`select customer_id from uplift_interaction where source = 'seed' and customer_id is not null limit 1`)
    return { ...rows[0].basics, seeded_customer_id: seeded.rows[0]?.customer_id }
  } finally {
    await client.end()
  }
}

function removeWhere(list, matches) {
  for (let i = list.length - 1; i >= 0; i--) if (matches(list[i])) list.splice(i, 1)
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}

async function pickOption(page, trigger, option) {
  await trigger.click()
  await page.getByRole("option", { name: option, exact: true }).click()
}

async function main() {
  const basics = await demoBasics()
  const admin = await adminClient(BASE, ADMIN_EMAIL, ADMIN_PASSWORD)
  const { browser, page, consoleErrors } = await launch()
  try {
    // ---------------------------------------------------------------- login and the Uplift section
    // The admin is served by Vite in development mode: a clean clone's first page load pre-bundles the
    // admin's dependencies, which takes minutes on a busy 2-core machine.
    await page.goto(`${BASE}/app/login`, { timeout: 300_000 })
    await page.fill('input[name="email"]', ADMIN_EMAIL)
    await page.fill('input[name="password"]', ADMIN_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForURL((url) => !url.pathname.endsWith("/login"), { timeout: 120_000 })
    log("logged in")

    // ---------------------------------------------------------------- the demo's showcase: a merchant's first report
    // Weeks of replayed decisions (src/scripts/showcase-replay.ts): weekly points, and the learned policy judged
    // against fixed levels on the decisions its model never saw. Before "train now" below can replace that model.
    const { discount_policies: demoPolicies } = await admin.get("/admin/discount-policies?status=active")
    const showcase = demoPolicies.find((policy) => policy.name === "Demo: welcome back")
    if (showcase) {
      await page.goto(`${BASE}/app/uplift/policies/${showcase.id}`)
      for (const chart of ["chart-incremental", "chart-conversion", "chart-spend", "chart-funnel"]) {
        await page.getByTestId(chart).locator("svg.recharts-surface").first().waitFor()
      }
      await screenshot(page, "02a-showcase-report")
      const { report: first } = await admin.get(`/admin/discount-policies/${showcase.id}/report`)
      assert(first.weekly.length >= 4, `the showcase spans ${first.weekly.length} decision weeks (want >= 4)`)
      assert.match(await page.getByTestId("chart-incremental").innerText(), /by decision week/)
      assert(first.learned_policy && first.learned_policy.decisions > 0, "the showcase's response model has unseen closed decisions to be judged on")
      const learned = page.getByTestId("learned-policy")
      await learned.waitFor()
      assert.match(await learned.innerText(), /What the learned policy would have earned, against fixed levels/)
      const showcaseUsd = (value) => new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 2 }).format(value)
      const learnedRow = await page.getByTestId("estimate-learned-policy-per-customer-").innerText()
      const estimate = first.learned_policy.learned.per_customer
      if (estimate === null) assert.match(learnedRow, /Not enough data at this level/)
      else assert.match(learnedRow, new RegExp(escapeRegExp(showcaseUsd(estimate.value))))
      // The funnel narrows: replayed offers were redeemed with no cart recorded, and still count as on a cart.
      const { decisions, offers_issued, offers_on_carts, offers_redeemed } = first.funnel
      assert(decisions >= offers_issued && offers_issued >= offers_on_carts && offers_on_carts >= offers_redeemed, `funnel ${JSON.stringify(first.funnel)}`)
      await page.getByTestId("learned-policy").scrollIntoViewIfNeeded()
      await screenshot(page, "02b-showcase-learned-policy")
      log(`showcase report: ${first.weekly.length} weeks, learned policy judged on ${first.learned_policy.decisions} unseen decisions`)
    } else {
      log("no showcase policy in this store: its report not checked")
    }

    // ---------------------------------------------------------------- models: start a training run now
    // It runs in the store's worker thread while the rest of the test goes on; its end is checked last.
    await page.goto(`${BASE}/app/uplift/models`)
    await page.getByRole("heading", { name: "Models" }).waitFor()
    await page.getByTestId("train-now").click()
    await page.getByTestId("training-progress").waitFor()
    await screenshot(page, "14-models-training")
    log("training run started with live progress")
    await page.getByRole("link", { name: "Uplift", exact: true }).click()
    await page.getByText("Plugin status").waitFor()
    await page.getByText("Customer profiles").waitFor()
    const pluginStatus = page.getByTestId("plugin-status")
    await pluginStatus.getByTestId("serving-fraud").waitFor()
    const statusText = await pluginStatus.innerText()
    assert.doesNotMatch(statusText, /\[object Object\]/)
    assert.match(statusText, /Execution providers \(configured/)
    // Each model says what it actually runs on, not the configured preference.
    assert.match(await pluginStatus.getByTestId("serving-fraud").innerText(), /: (onnxruntime, cpu|TypeScript scorer)/)
    assert.match(await pluginStatus.getByTestId("serving-recommendations").innerText(), /TypeScript|popular products/)
    await screenshot(page, "01-uplift-overview")

    // ---------------------------------------------------------------- create a policy through the form
    await page.getByRole("link", { name: "Discount policies" }).first().click()
    await page.getByRole("heading", { name: "Discount policies" }).waitFor()
    await screenshot(page, "02-policies-before")
    await page.getByTestId("create-policy").click()
    const form = page.getByTestId("policy-form")
    await form.waitFor()
    const policyName = `E2E welcome offer ${RUN}`
    await form.locator("#name").fill(policyName)
    await form.locator("#holdout_percent").fill("80")
    await form.locator("#ladder").fill("5, 10, 20")
    await form.locator("#budget_enabled").click()
    await form.locator("#budget_amount").fill("250")
    await page.getByTestId("policy-submit").click()
    await page.getByTestId("error-holdout_percent").waitFor()
    assert.match(await page.getByTestId("error-holdout_percent").innerText(), /at most 50/)
    assert.match(await page.getByTestId("error-ladder").innerText(), /at most the maximum discount/)
    await screenshot(page, "03-policy-form-field-errors")
    log("field errors shown for holdout 80 and a ladder above the maximum")
    await form.locator("#holdout_percent").fill("50")
    await form.locator("#ladder").fill("5, 10, 15")
    await page.getByTestId("policy-submit").click()
    await form.waitFor({ state: "detached" })
    const row = page.getByTestId("policies-table").getByRole("row").filter({ hasText: policyName })
    await row.waitFor()
    assert.match(await row.innerText(), /Draft/)
    await screenshot(page, "04-policies-list")
    log("policy created and listed")

    // ---------------------------------------------------------------- its report, then activate it
    await row.getByRole("link", { name: policyName }).click()
    await page.getByTestId("policy-name").waitFor()
    assert.equal(await page.getByTestId("policy-name").innerText(), policyName)
    await page.getByText("No decisions under this policy yet").waitFor()
    await screenshot(page, "05-policy-report-empty")
    await page.getByRole("button", { name: "Activate" }).click()
    await page.getByText("Active", { exact: true }).first().waitFor()
    const policyId = new URL(page.url()).pathname.split("/").pop()
    const { discount_policy } = await admin.get(`/admin/discount-policies/${policyId}`)
    assert.equal(discount_policy.status, "active")
    log(`policy ${policyId} activated from its page`)

    // ---------------------------------------------------------------- a hold rule through the rule editor
    await page.getByRole("link", { name: "Fraud rules" }).first().click()
    await page.getByRole("heading", { name: "Fraud rules" }).waitFor()
    await page.getByRole("button", { name: "Create" }).first().click()
    const editor = page.getByTestId("rule-editor")
    await editor.waitFor()
    await editor.locator("#rule-name").fill(`Hold every order ${RUN}`)
    await editor.getByTestId("condition-0").getByLabel("Value").fill("abc")
    await editor.getByRole("button", { name: "Create" }).click()
    await editor.getByText("Value must be a number").waitFor()
    await screenshot(page, "06-fraud-rule-editor")
    await editor.getByTestId("condition-0").getByLabel("Value").fill("0")
    await editor.getByRole("button", { name: "Create" }).click()
    await editor.waitFor({ state: "detached" })
    await page.getByTestId("rules-table").getByText(`Hold every order ${RUN}`).waitFor()
    await page.getByTestId("rules-table").getByText("order.total > 0").waitFor()
    await screenshot(page, "06b-fraud-rules")
    log("hold rule created in the editor")

    // ---------------------------------------------------------------- shoppers: carts (decisions) and held checkouts
    // The demo seed's showcase policy would decide first; pause every other live policy so ours decides.
    const { discount_policies: live } = await admin.get("/admin/discount-policies?status=active")
    for (const other of live.filter((policy) => policy.id !== policyId)) {
      await admin.post(`/admin/discount-policies/${other.id}`, { status: "paused" })
    }
    const variantId = await firstVariant(BASE, basics)
    const shoppers = []
    for (let i = 0; i < 6; i++) shoppers.push(await shopper(BASE, basics, `e2e-${RUN}-${i}@example.com`))
    const carts = []
    for (const who of shoppers) carts.push(await openCart(who, basics, variantId))
    await waitFor("a decision for every shopper", async () => {
      const { report } = await admin.get(`/admin/discount-policies/${policyId}/report`)
      return report.funnel.decisions >= shoppers.length
    })
    const orderIds = []
    for (let i = 0; i < 3; i++) orderIds.push(await checkout(shoppers[i], carts[i]))
    const heldOrder = orderIds[0]
    await waitFor("the held order in the review queue", async () => {
      const { holds } = await admin.get(`/admin/fraud/holds?status=open&order_id=${heldOrder}`)
      return holds.length === 1
    })
    log(`${shoppers.length} shoppers decided, ${orderIds.length} orders placed and held`)
    // The report compares only decisions whose attribution window has closed: three weeks pass (the decisions
    // and what their shoppers did move back together).
    const db = new Client({ connectionString: process.env.DATABASE_URL })
    await db.connect()
    try {
      await db.query(
        "update uplift_interaction set occurred_at = occurred_at - interval '21 days' where customer_id in (select customer_id from uplift_offer_decision where policy_id = $1)",
        [policyId]
      )
      await db.query("update uplift_offer_decision set created_at = created_at - interval '21 days' where policy_id = $1", [policyId])
    } finally {
      await db.end()
    }

    // ---------------------------------------------------------------- the report with data
    await page.goto(`${BASE}/app/uplift/policies/${policyId}`)
    await page.getByTestId("chart-incremental").waitFor()
    for (const chart of ["chart-incremental", "chart-conversion", "chart-spend", "chart-funnel"]) {
      await page.getByTestId(chart).locator("svg.recharts-surface").first().waitFor()
    }
    await page.getByTestId("report-table").waitFor()
    assert.match(await page.getByTestId("report-table").innerText(), /Incremental profit/)
    // The per-customer measures show the per-customer numbers of the report (they showed the total).
    const { report } = await admin.get(`/admin/discount-policies/${policyId}/report`)
    const usd = (value) => new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 2 }).format(value)
    const perCustomerRow = page.getByTestId("estimate-incremental-profit-per-customer")
    assert.match(await perCustomerRow.innerText(), new RegExp(escapeRegExp(usd(report.incremental_profit_per_customer.value))))
    const lastDay = report.daily[report.daily.length - 1]
    const dayRow = page.getByTestId("report-table").getByRole("row").filter({ hasText: lastDay.date })
    assert.match(await dayRow.innerText(), new RegExp(`^${escapeRegExp(lastDay.date)}\\s+${escapeRegExp(usd(lastDay.incremental_profit_per_customer))}\\s`))
    assert.equal(await page.getByTestId("chart-incremental").getByText("Incremental profit per customer").count(), 1)
    // Off-policy strategies with too few logged decisions at their level say so instead of a made-up $0.00.
    // Where no decision logged candidates and the learned-policy table judges the model, they are left out.
    for (const [strategy, estimate] of [["model-strategy-per-customer-", report.off_policy.model], ["everyone-the-top-level-per-customer-", report.off_policy.fixed]]) {
      const row = page.getByTestId(`estimate-off-policy-${strategy}`)
      if (report.off_policy.decisions === 0 && report.learned_policy) {
        assert.equal(await row.count(), 0, "off-policy rows without logged candidates beside the learned-policy table")
        continue
      }
      const text = await row.innerText()
      if (estimate === null) assert.match(text, /Not enough data at this level|No decisions with the model's candidates yet/)
      else assert.match(text, new RegExp(escapeRegExp(usd(estimate.value))))
    }
    // Budget: spent and reserved apart.
    assert.match(await page.getByTestId("policy-report").innerText(), /reserved for open offers/)
    await screenshot(page, "07-policy-report")
    log("report charts rendered")

    // ---------------------------------------------------------------- review queue -> order -> release
    await page.getByRole("link", { name: "Fraud review" }).first().click()
    const holdRow = page.locator(`[data-testid="hold-row"][data-order-id="${heldOrder}"]`)
    await holdRow.waitFor()
    await holdRow.getByTestId("risk-score").or(holdRow.getByText("No score")).first().waitFor()
    await screenshot(page, "08-fraud-queue")
    await holdRow.click()
    const details = page.getByTestId("hold-details")
    await details.waitFor()
    await details.getByTestId("risk-facts").waitFor()
    await details.getByText("Matched the store rule").waitFor()
    // These shoppers' storefront sends no device id: no device fact may read as reassurance.
    const facts = await details.getByTestId("risk-facts").innerText()
    if (/sent no device id/.test(facts)) assert.doesNotMatch(facts, /Only this account uses this device|No other checkout on this device/)
    await screenshot(page, "09-fraud-hold-details")
    await details.getByTestId("open-order").click()
    await page.waitForURL(`**/orders/${heldOrder}`)
    const widget = page.getByTestId("order-risk-widget")
    await widget.getByTestId("hold-status").waitFor()
    assert.equal(await widget.getByTestId("hold-status").innerText(), "On hold")
    assert.match(await widget.getByTestId("hold-summary").innerText(), /wait for your review/)
    // The score is coloured by this store's thresholds (a 76 under a hold score of 80 is not red).
    const { settings: thresholds } = await admin.get("/admin/fraud/settings")
    const { assessments } = await admin.get(`/admin/fraud/assessments?order_id=${heldOrder}&limit=1`)
    const score = assessments[0].score
    const band = thresholds.block_score !== null && score >= thresholds.block_score ? "block" : thresholds.hold_score !== null && score >= thresholds.hold_score ? "hold" : "below_hold"
    assert.equal(await widget.getByTestId("risk-score").getAttribute("data-band"), band)
    // First on the page, above Medusa's own order sections (the demo's default layout).
    const { order: heldDetails } = await admin.get(`/admin/orders/${heldOrder}?fields=display_id,payment_collections.payments.id`)
    const orderHeading = page.getByRole("heading", { name: `#${heldDetails.display_id}` }).first()
    await orderHeading.waitFor()
    assert((await widget.boundingBox()).y < (await orderHeading.boundingBox()).y, "the fraud widget is not above the order's general section")
    await screenshot(page, "10-order-widget-held")
    log("order widget shows the hold, first on the page")

    // Medusa's own capture button: the 409 of the hold guard reaches the merchant as the toast, word for word.
    const paymentId = heldDetails.payment_collections[0].payments[0].id
    const refused = await admin.post(`/admin/payments/${paymentId}/capture`).then(() => null, (error) => error)
    assert.equal(refused?.status, 409)
    const refusal = refused.message.replace(/^POST \S+ -> 409: /, "")
    await page.getByRole("button", { name: "Capture payment" }).click()
    await page.getByRole("button", { name: "Confirm" }).click()
    await page.getByText(refusal).waitFor()
    await screenshot(page, "10b-capture-refused-toast")
    // Medusa's payment section awaits mutateAsync, which rethrows after its own error toast: that uncaught
    // rejection is the dashboard's, provoked here on purpose, not an error of the plugin's pages.
    await page.waitForTimeout(500)
    removeWhere(consoleErrors, (error) => error.includes(refusal))
    log(`capture refused in the admin: ${refusal}`)

    await page.goBack()
    await holdRow.waitFor()
    await holdRow.click()
    await details.waitFor()
    await details.locator('textarea[name="note"]').fill("E2E: customer confirmed by phone")
    await details.getByRole("button", { name: "Release" }).click()
    await details.getByTestId("hold-status").filter({ hasText: "Released" }).waitFor()
    const { holds } = await admin.get(`/admin/fraud/holds?order_id=${heldOrder}`)
    assert.equal(holds[0].status, "released")
    assert.equal(holds[0].note, "E2E: customer confirmed by phone")
    await page.keyboard.press("Escape")
    await page.goto(`${BASE}/app/orders/${heldOrder}`)
    await widget.getByTestId("hold-status").filter({ hasText: "Released" }).waitFor()
    assert.equal(await widget.getByTestId("hold-actions").count(), 0)
    await screenshot(page, "11-order-widget-released", widget)
    log("released from the queue; the order widget shows it")

    // ---------------------------------------------------------------- customer and promotion widgets
    await page.goto(`${BASE}/app/customers/${shoppers[3].customerId}`)
    const customerWidget = page.getByTestId("customer-uplift-widget")
    await customerWidget.getByText("Recent decisions").waitFor()
    await customerWidget.getByText(policyName).first().waitFor()
    await screenshot(page, "12-customer-widget", customerWidget)
    // A seeded household: its imported history says where it comes from, with its currency.
    await page.goto(`${BASE}/app/customers/${basics.seeded_customer_id}`)
    const seededHistory = customerWidget.getByTestId("history-seed")
    await seededHistory.waitFor()
    assert.match(await seededHistory.innerText(), /\d+ orders, \$[\d,.]+ spent/)
    await customerWidget.getByText("these are not Medusa orders").waitFor()
    await screenshot(page, "12b-customer-widget-imported-history", customerWidget)
    const { promotions } = await admin.get("/admin/promotions?q=YOUR-&limit=50")
    const tier = promotions.find((promotion) => /^(YOUR-\d+-OFF|UPLIFT-\d+)/i.test(promotion.code ?? ""))
    if (tier) {
      await page.goto(`${BASE}/app/promotions/${tier.id}`)
      await page.getByTestId("promotion-uplift-widget").getByTestId("active-offer-count").waitFor()
      await page.getByTestId("promotion-uplift-widget").getByText(policyName).waitFor()
      // Medusa's own rule list shows none for the plugin's attribute; the widget says the promotion is still restricted.
      await page.getByTestId("promotion-uplift-widget").getByText(/not open to everyone/).waitFor()
      await screenshot(page, "13-promotion-widget", page.getByTestId("promotion-uplift-widget"))
      log(`promotion widget on ${tier.code}`)
    } else {
      log("no personal-discount tier promotion in this store: promotion widget not checked")
    }

    // ---------------------------------------------------------------- models: the run started at first ends
    await page.goto(`${BASE}/app/uplift/models`)
    await page.getByRole("heading", { name: "Models" }).waitFor()
    // The newest run (the one started at first) shows its progress, or how it ended.
    await page.getByTestId("training-runs").getByRole("row").nth(1).click()
    const progress = page.getByTestId("training-progress")
    await progress.getByText(/Completed|Failed/).waitFor({ timeout: Number(process.env.E2E_TRAINING_TIMEOUT_MS || 420_000) })
    assert.match(await progress.innerText(), /Completed/)
    await page.getByTestId("models-propensity").getByRole("row").nth(1).waitFor()
    // The fraud model that scores every checkout is listed, with where it comes from.
    const shipped = page.getByTestId("models-fraud").getByTestId("shipped-model")
    assert.match(await shipped.innerText(), /Active/)
    assert.match(await shipped.innerText(), /Shipped with the plugin/)
    // The demo's response model says which uplift learner decides the offers.
    assert.match(await page.getByTestId("models-response").getByTestId("model-learner").first().innerText(), /Learner\s+\S*learner/)
    await screenshot(page, "15-models-trained")
    log("training run finished and its version is listed")

    assert.deepEqual(consoleErrors, [], `uncaught errors in the page: ${consoleErrors.join("\n")}`)
    log(`passed; screenshots in ${ARTIFACTS}`)
  } catch (error) {
    await screenshot(page, "failure").catch(() => {})
    if (consoleErrors.length) console.error("page errors:\n" + consoleErrors.join("\n"))
    throw error
  } finally {
    await browser.close()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[admin-e2e] FAILED: ${error.stack || error}`)
    process.exit(1)
  }
)
