import * as path from "path"
import { readCsv } from "../../src/ml/data/csv"
import { sklearnTrainTestSplit } from "../../src/ml/data/split"
import { ate, qiniAucScore, upliftAtK } from "../../src/ml/metrics/uplift"
import { HillstromData, hillstromFromTable } from "../../src/ml/uplift/hillstrom"
import { offerFeatures } from "../../src/ml/decision/offer-features"
import { chosenResponseLearner, ResponseExample, responseModelFromEnsemble, trainResponseModel } from "../../src/ml/training/response"
import type { TreeEnsemble } from "../../src/ml/trees/types"
import { hillstromFeatureInput, hillstromShoppers, HillstromShopper } from "./hillstrom-shoppers"
import { SeedTable } from "./summary"
import type { EvalOptions, EvalRow } from "./types"

export const HILLSTROM_ANCHORS = { upliftAt30: 0.0661, random: 0.047 }
/** The basket value of the offer features (it does not vary across rows, so it does not change the model). */
const BASKET = 100

export function loadHillstrom(dataDir: string): HillstromData {
  return hillstromFromTable(readCsv(path.join(dataDir, "hillstrom.csv")))
}

const HOUR_MS = 3_600_000
/** The ladder level each protocol arm stands for in the decision log the served trainer reads. */
const PROTOCOL_LEVELS: Record<string, number> = { "No E-Mail": 0, "Womens E-Mail": 10 }

/**
 * Protocol of the data README: Womens E-Mail vs No E-Mail rows, target visit, sklearn
 * train_test_split(test_size=0.5, random_state=seed) (reproduced exactly), uplift@30% on the test half.
 * The model is the one that serves: the training half becomes a decision log (offer features of each row as
 * the live feature builder computes them, Womens E-Mail = 10% off, No E-Mail = none, logged propensity 1/2,
 * one decision an hour in the split's order) read by `trainResponseModel`, the function the training job
 * calls (T/S/X/DR chosen by IPW cross-fitted Qini, fitted on the first 80% by time); a test shopper's uplift
 * is the served P(buy | 10%) - P(buy | none).
 */
export async function runHillstromUplift(opts: EvalOptions): Promise<EvalRow[]> {
  const shoppers = hillstromShoppers(readCsv(path.join(opts.dataDir, "hillstrom.csv"))).filter((shopper) => shopper.arm in PROTOCOL_LEVELS)
  const table = new SeedTable(opts.seeds)
  const start = Date.UTC(2026, 0, 1)
  const featuresAt = (shopper: HillstromShopper, at: number) => offerFeatures(hillstromFeatureInput(shopper, at, BASKET))
  for (const [k, seed] of opts.seeds.entries()) {
    opts.progress?.(`hillstrom-uplift seed ${seed} (${k + 1}/${opts.seeds.length})`)
    const split = sklearnTrainTestSplit(shoppers.length, 0.5, seed)
    const examples: ResponseExample[] = Array.from(split.train, (i, j) => ({
      features: featuresAt(shoppers[i], start + j * HOUR_MS),
      discount_percent: PROTOCOL_LEVELS[shoppers[i].arm],
      propensity: 0.5,
      converted: shoppers[i].visit,
      at: start + j * HOUR_MS,
    }))
    const { artifact } = trainResponseModel(examples, `eval-${seed}`, (_stage, _percent, line) => line && opts.progress?.(`hillstrom-uplift seed ${seed}: ${line}`))
    const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, artifact.featureSchema.map((feature) => feature.name))
    const at = start + split.train.length * HOUR_MS
    const test = Array.from(split.test, (i) => shoppers[i])
    const u = test.map((shopper) => {
      const [none, offered] = model.predict(featuresAt(shopper, at), [0, 10])
      return offered - none
    })
    const y = test.map((shopper) => shopper.visit)
    const t = test.map((shopper) => (shopper.arm === "Womens E-Mail" ? 1 : 0))
    const learner = `${chosenResponseLearner(artifact.metrics) ?? "?"} (served)`
    table.add("hillstrom-uplift", "uplift_at_30", upliftAtK(y, u, t, 0.3), HILLSTROM_ANCHORS.upliftAt30, undefined, { learner })
    table.add("hillstrom-uplift", "qini_auc", qiniAucScore(y, u, t), null, undefined, { learner })
    table.add("hillstrom-uplift", "uplift_at_30", ate(y, t), HILLSTROM_ANCHORS.random, "random targeting (test ATE)")
  }
  return table.rows()
}
