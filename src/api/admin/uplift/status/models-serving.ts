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
  const active = await activeVersions(container)
  return [await fraudModel(container), ...registryModels(active), recommendationsModel(container, active.recommender)]
}

async function fraudModel(container: MedusaContainer): Promise<ServingModel> {
  const scorer = container.resolve<FraudModuleService>(FRAUD_MODULE).scorer
  await scorer.load()
  const runsOn = scorer.engine === "onnx" ? "onnxruntime, cpu" : scorer.engine === "reference" ? "TypeScript scorer (onnxruntime could not load the model)" : "not loaded"
  return { model: "fraud", version: scorer.version, runs_on: runsOn }
}

type ActiveVersion = { id: string; version: string; execution_provider: string | null }

/** The registry's active version of each kind the status reports, in one read. */
async function activeVersions(container: MedusaContainer): Promise<Partial<Record<"propensity" | "response" | "recommender", ActiveVersion>>> {
  const rows = await upliftService(container).listModelVersions({ kind: ["propensity", "response", "recommender"], status: "active" } as any, { select: ["id", "kind", "version", "execution_provider"] })
  return Object.fromEntries(rows.map((row: any) => [row.kind, row]))
}

/** Propensity scores customers in batch through onnxruntime; the response model decides offers in TypeScript. */
function registryModels({ propensity, response }: Partial<Record<"propensity" | "response", ActiveVersion>>): ServingModel[] {
  return [
    { model: "propensity", version: propensity?.version ?? null, runs_on: propensity ? `onnxruntime, ${propensity.execution_provider ?? "cpu"}` : "not trained yet" },
    { model: "response", version: response?.version ?? null, runs_on: response ? "TypeScript, in process" : "not trained yet" },
  ]
}

/**
 * The registry's active recommender, and whether this process has loaded it yet: a process loads it at its
 * first recommendation request after activation, so "no model" would be wrong in between.
 */
function recommendationsModel(container: MedusaContainer, active: ActiveVersion | undefined): ServingModel {
  if (!active) return { model: "recommendations", version: null, runs_on: "no model yet: popular products are served" }
  const { model_version, prepared } = recommendationsReadiness(container)
  const runsOn = model_version !== active.id ? "TypeScript, in process (loaded at this process's next recommendation request)" : `TypeScript, in process${prepared ? "" : " (preparing)"}`
  return { model: "recommendations", version: active.version, runs_on: runsOn }
}
