import { model } from "@medusajs/framework/utils"

/** A training request and what became of it: progress while it runs, the version it produced after. */
export const TrainingRun = model.define("uplift_training_run", {
  id: model.id({ prefix: "utrn" }).primaryKey(),
  model: model.enum(["propensity", "response", "fraud", "recommender"]),
  status: model.enum(["queued", "running", "completed", "failed"]).default("queued"),
  trigger: model.enum(["api", "schedule"]).default("api"),
  stage: model.text().default("queued"),
  percent: model.float().default(0),
  log: model.json(),
  error: model.text().nullable(),
  attempts: model.number().default(0),
  model_version_id: model.text().nullable(),
  outcome: model.text().nullable(),
  started_at: model.dateTime().nullable(),
  finished_at: model.dateTime().nullable(),
})
