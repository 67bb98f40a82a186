import type { MedusaContainer } from "@medusajs/framework/types"
import { upliftService } from "../../../../ingestion/enqueue"
import { FRAUD_MODULE } from "../../../../modules/fraud"
import type FraudModuleService from "../../../../modules/fraud/service"
import { recommendationsReadiness } from "../../../../recommendations/recommend"

export interface ServingModel {
  model: "fraud" | "propensity" | "response" | "recommendations"
  version: string | null
  /** Where it computes in this deployment: an onnxruntime execution provider, or TypeScript in process. */
  runs_on: string
}

/** What each model of the plugin actually runs on, as opposed to the configured provider preference. */
export async function servingModels(container: MedusaContainer): Promise<ServingModel[]> {
  return [await fraudModel(container), ...(await registryModels(container)), await recommendationsModel(container)]
}

async function fraudModel(container: MedusaContainer): Promise<ServingModel> {
  const scorer = container.resolve<FraudModuleService>(FRAUD_MODULE).scorer
  await scorer.load()
  const runsOn = scorer.engine === "onnx" ? "onnxruntime, cpu" : scorer.engine === "reference" ? "TypeScript scorer (onnxruntime could not load the model)" : "not loaded"
  return { model: "fraud", version: scorer.version, runs_on: runsOn }
}

/** Propensity scores customers in batch through onnxruntime; the response model decides offers in TypeScript. */
async function registryModels(container: MedusaContainer): Promise<ServingModel[]> {
  const active = await upliftService(container).listModelVersions({ kind: ["propensity", "response"], status: "active" } as any, { select: ["kind", "version", "execution_provider"] })
  const of = (kind: "propensity" | "response") => active.find((row: any) => row.kind === kind) as { version: string; execution_provider: string | null } | undefined
  const propensity = of("propensity")
  const response = of("response")
  return [
    { model: "propensity", version: propensity?.version ?? null, runs_on: propensity ? `onnxruntime, ${propensity.execution_provider ?? "cpu"}` : "not trained yet" },
    { model: "response", version: response?.version ?? null, runs_on: response ? "TypeScript, in process" : "not trained yet" },
  ]
}

/**
 * The registry's active recommender, and whether this process has loaded it yet: a process loads it at its
 * first recommendation request after activation, so "no model" would be wrong in between.
 */
async function recommendationsModel(container: MedusaContainer): Promise<ServingModel> {
  const [active] = await upliftService(container).listModelVersions({ kind: "recommender", status: "active" } as any, { select: ["id", "version"], take: 1 })
  if (!active) return { model: "recommendations", version: null, runs_on: "no model yet: popular products are served" }
  const { model_version, prepared } = recommendationsReadiness(container)
  const runsOn = model_version !== active.id ? "TypeScript, in process (loaded at this process's next recommendation request)" : `TypeScript, in process${prepared ? "" : " (preparing)"}`
  return { model: "recommendations", version: active.version, runs_on: runsOn }
}
