/**
 * Trains the shipped fraud model on the public e-commerce fraud set, keeping only features a live store
 * has (see LIVE_FRAUD_FEATURES), and writes src/modules/fraud/model/fraud-model.artifact.json.
 * Usage: npx ts-node --transpile-only scripts/train-fraud-model.ts [--seed 7]
 */
import * as fs from "fs"
import * as path from "path"
import { readCsv, resolveDataDir, buildFraudFeatures, buildFraudHistory, fraudRowsFromTable, FRAUD_FEATURES, makeMatrix, selectRows, stratifiedSplit, take, trainFraudModel, fraudProbabilities, rocAuc, averagePrecision, recallAtFpr } from "../src/ml/tabular"
import { exportTreeEnsemble, serializeArtifact } from "../src/ml/serving"
import { toMillis } from "../src/ml/tabular"
import { LIVE_FRAUD_FEATURES } from "../src/modules/fraud/model/features"
import { FRAUD_MODEL_FILE } from "../src/modules/fraud/model/artifact-path"

const seed = Number(process.argv[process.argv.indexOf("--seed") + 1]) || 7
const root = path.resolve(__dirname, "..")
const csv = readCsv(path.join(resolveDataDir(root), "fraud-ecommerce", "fraud_data_30k.csv"))
const { rows, labels } = fraudRowsFromTable(csv.header, csv.rows)
const full = buildFraudFeatures(rows, buildFraudHistory(rows))
const columns = LIVE_FRAUD_FEATURES.map((name) => {
  const index = FRAUD_FEATURES.indexOf(name)
  if (index < 0) throw new Error(`feature ${name} is not in the training features`)
  return index
})
const x = makeMatrix(full.nRows, [...LIVE_FRAUD_FEATURES])
for (let i = 0; i < full.nRows; i++) columns.forEach((c, j) => (x.data[i * x.nCols + j] = full.data[i * full.nCols + c]))

// Held-out test split for the recorded metrics; the shipped model is then refit on all rows.
const split = stratifiedSplit(labels, 0.3, seed)
const params = { learningRate: 0.1, nRounds: 400, earlyStoppingRounds: 40, maxDepth: 3 }
const probe = trainFraudModel(selectRows(x, split.train), take(labels, split.train), { seed, params })
const p = fraudProbabilities(probe, selectRows(x, split.test))
const yTest = take(labels, split.test)
const metrics = { roc_auc: rocAuc(yTest, p), pr_auc: averagePrecision(yTest, p), recall_at_1pct_fpr: recallAtFpr(yTest, p, 0.01), test_rows: yTest.length }
const model = trainFraudModel(x, labels, { seed, params })
const times = rows.map((r) => toMillis(r.purchaseTime))
const artifact = serializeArtifact({
  kind: "fraud",
  version: `fraud-gbdt-${new Date().toISOString().slice(0, 10)}-s${seed}-r${model.rounds}`,
  featureSchema: LIVE_FRAUD_FEATURES.map((name) => ({ name, type: "float" as const })),
  trainedOn: { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() },
  metrics,
  createdAt: new Date().toISOString(),
  onnx: exportTreeEnsemble(model.ensemble, model.calibrator),
  reference: { ensemble: model.ensemble, calibrator: model.calibrator },
})
const out = path.join(root, "src/modules/fraud/model", FRAUD_MODEL_FILE)
fs.writeFileSync(out, artifact)
console.log(JSON.stringify({ out, bytes: artifact.length, trees: model.ensemble.trees.length, metrics }))
