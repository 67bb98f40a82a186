import type { MedusaContainer } from "@medusajs/framework/types"
import { FRAUD_MODULE } from "../../../../modules/fraud"
import { readFraudArtifact } from "../../../../modules/fraud/model/artifact-path"
import type FraudModuleService from "../../../../modules/fraud/service"

export const SHIPPED_FRAUD_MODEL_ID = "shipped-fraud-model"

/**
 * The fraud model that scores checkouts until a retrained version is activated: the artifact shipped with
 * the plugin (or the file at UPLIFT_FRAUD_MODEL_PATH), listed like a registry version with its provenance.
 */
export async function shippedFraudModel(container: MedusaContainer): Promise<Record<string, unknown> | null> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  let read: ReturnType<typeof readFraudArtifact>
  try {
    read = readFraudArtifact()
  } catch {
    return null
  }
  const artifact = JSON.parse(read.bytes.toString("utf8"))
  await fraud.scorer.load()
  const serving = fraud.scorer.adoptedVersionId === null && fraud.scorer.engine !== null
  const metrics = artifact.metrics ?? {}
  return {
    id: SHIPPED_FRAUD_MODEL_ID,
    kind: "fraud",
    version: artifact.version,
    status: serving ? "active" : "retired",
    metrics,
    selection_metric: "roc_auc" in metrics ? "roc_auc" : null,
    selection_value: metrics.roc_auc ?? null,
    higher_is_better: true,
    data_from: artifact.trainedOn?.from ?? null,
    data_to: artifact.trainedOn?.to ?? null,
    size_bytes: read.bytes.length,
    execution_provider: fraud.scorer.engine === "onnx" ? "cpu" : fraud.scorer.engine === "reference" ? "TypeScript scorer" : null,
    checksum: artifact.checksum ?? null,
    training_run_id: null,
    activated_at: null,
    note: provenance(read.source, serving),
    created_at: artifact.createdAt ?? null,
    shipped: true,
  }
}

function provenance(source: string, serving: boolean): string {
  const origin =
    source === "shipped artifact"
      ? "Shipped with the plugin: trained on a public e-commerce fraud data set (30,000 checkouts, 2015) with the signals a live store has"
      : `Loaded from ${source} (UPLIFT_FRAUD_MODEL_PATH)`
  return serving ? `${origin}; scores every checkout until a retrained version is activated.` : `${origin}; replaced by the active retrained version.`
}
