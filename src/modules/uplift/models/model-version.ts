import { model } from "@medusajs/framework/utils"

/** One trained model in the registry; exactly one version per kind is `active`. */
export const ModelVersion = model
  .define("uplift_model_version", {
    id: model.id({ prefix: "umod" }).primaryKey(),
    kind: model.enum(["propensity", "response", "fraud", "recommender"]),
    version: model.text(),
    status: model.enum(["candidate", "active", "rejected", "retired"]).default("candidate"),
    metrics: model.json(),
    selection_metric: model.text(),
    selection_value: model.float(),
    higher_is_better: model.boolean(),
    data_from: model.dateTime().nullable(),
    data_to: model.dateTime().nullable(),
    size_bytes: model.number().default(0),
    execution_provider: model.text().nullable(),
    checksum: model.text().nullable(),
    artifact: model.text(),
    training_run_id: model.text().nullable(),
    activated_at: model.dateTime().nullable(),
    note: model.text().nullable(),
  })
  .indexes([{ on: ["kind", "status"] }])
