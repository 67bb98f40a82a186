import * as fs from "fs"
import shipped from "./fraud-model.artifact.json"

export const FRAUD_MODEL_FILE = "fraud-model.artifact.json"

/**
 * The fraud model artifact bytes: the file at UPLIFT_FRAUD_MODEL_PATH when set (a model trained for your
 * store by scripts/train-fraud-model.ts), else the artifact shipped with the plugin (imported so that the
 * build emits it beside the compiled code).
 */
export function readFraudArtifact(): { source: string; bytes: Buffer } {
  const override = process.env.UPLIFT_FRAUD_MODEL_PATH
  if (override) return { source: override, bytes: fs.readFileSync(override) }
  return { source: "shipped artifact", bytes: Buffer.from(JSON.stringify(shipped), "utf8") }
}
