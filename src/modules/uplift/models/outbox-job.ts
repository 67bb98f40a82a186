import { model } from "@medusajs/framework/utils"

/** A job that could not reach Redis; the relay delivers it when Redis answers again. */
export const OutboxJob = model.define("uplift_outbox_job", {
  id: model.id({ prefix: "uobx" }).primaryKey(),
  queue: model.text(),
  name: model.text(),
  job_id: model.text(),
  data: model.json(),
  attempts: model.number().default(0),
  last_error: model.text().nullable(),
})
