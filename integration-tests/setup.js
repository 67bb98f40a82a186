const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// Medusa's test runners name a module's test database after JEST_WORKER_ID, so two suites run at once on one
// Postgres (two checkouts, two engineers) would share it. UPLIFT_TEST_DB_SUFFIX (a number) keeps them apart.
if (/^\d+$/.test(process.env.UPLIFT_TEST_DB_SUFFIX ?? "")) {
  process.env.JEST_WORKER_ID = process.env.UPLIFT_TEST_DB_SUFFIX
}
