/**
 * Trains the shipped fraud model on the public e-commerce fraud set and writes
 * src/modules/fraud/model/fraud-model.artifact.json. The same model as `npm run eval -- --task fraud`
 * reports: buildFraudFeatures (the live feature set, point-in-time counts) and trainFraudModel with its
 * default settings; the recorded metrics are the eval's protocol on one seed, then the model is refit on all rows.
 * Usage: npx ts-node --transpile-only scripts/train-fraud-model.ts [--seed 42]
 */
import * as fs from "fs"
import * as path from "path"
import { readCsv, resolveDataDir, buildFraudFeatures, fraudRowsFromTable, FRAUD_FEATURES, selectRows, stratifiedSplit, take, trainFraudModel, fraudProbabilities, rocAuc, averagePrecision, recallAtFpr, toMillis } from "../src/ml/tabular"
import { exportTreeEnsemble, serializeArtifact } from "../src/ml/serving"
import { FRAUD_MODEL_FILE } from "../src/modules/fraud/model/artifact-path"

const seedArg = process.argv.indexOf("--seed")
const seed = seedArg >= 0 ? Number(process.argv[seedArg + 1]) : 42
const root = path.resolve(__dirname, "..")
const csv = readCsv(path.join(resolveDataDir(root), "fraud-ecommerce", "fraud_data_30k.csv"))
const { rows, labels } = fraudRowsFromTable(csv.header, csv.rows)
const x = buildFraudFeatures(rows)

// Held-out test split for the recorded metrics (the eval's protocol, this seed); the shipped model is then refit on all rows.
const split = stratifiedSplit(labels, 0.3, seed)
const probe = trainFraudModel(selectRows(x, split.train), take(labels, split.train), { seed })
const p = fraudProbabilities(probe, selectRows(x, split.test))
const yTest = take(labels, split.test)
const metrics = { roc_auc: rocAuc(yTest, p), pr_auc: averagePrecision(yTest, p), recall_at_1pct_fpr: recallAtFpr(yTest, p, 0.01), test_rows: yTest.length, seed }
const model = trainFraudModel(x, labels, { seed })
const times = rows.map((r) => toMillis(r.purchaseTime))
const artifact = serializeArtifact({
  kind: "fraud",
  version: `fraud-gbdt-pit-${new Date().toISOString().slice(0, 10)}-s${seed}-r${model.rounds}`,
  featureSchema: FRAUD_FEATURES.map((name) => ({ name, type: "float" as const })),
  trainedOn: { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() },
  metrics,
  createdAt: new Date().toISOString(),
  onnx: exportTreeEnsemble(model.ensemble, model.calibrator),
  reference: { ensemble: model.ensemble, calibrator: model.calibrator },
})
const out = path.join(root, "src/modules/fraud/model", FRAUD_MODEL_FILE)
fs.writeFileSync(out, artifact)
console.log(JSON.stringify({ out, bytes: artifact.length, trees: model.ensemble.trees.length, metrics }))
