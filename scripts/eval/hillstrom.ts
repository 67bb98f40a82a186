import * as path from "path"
import { readCsv } from "../../src/ml/data/csv"
import { sklearnTrainTestSplit } from "../../src/ml/data/split"
import { ate, qiniAucScore, upliftAtK } from "../../src/ml/metrics/uplift"
import { HillstromData, hillstromFromTable, selectHillstrom } from "../../src/ml/uplift/hillstrom"
import { predictUplift } from "../../src/ml/uplift/learners"
import { trainSelectedUplift } from "../../src/ml/uplift/select"
import { SeedTable } from "./summary"
import type { EvalOptions, EvalRow } from "./types"

export const HILLSTROM_ANCHORS = { upliftAt30: 0.0661, random: 0.047 }

export function loadHillstrom(dataDir: string): HillstromData {
  return hillstromFromTable(readCsv(path.join(dataDir, "hillstrom.csv")))
}

/**
 * Protocol of the data README: Womens E-Mail vs No E-Mail rows, target visit, sklearn
 * train_test_split(test_size=0.5, random_state=seed) (reproduced exactly), uplift@30% on the test half.
 */
export async function runHillstromUplift(opts: EvalOptions): Promise<EvalRow[]> {
  const all = loadHillstrom(opts.dataDir)
  const rows: number[] = []
  all.arm.forEach((a, i) => a !== 1 && rows.push(i))
  const data = selectHillstrom(all, rows)
  // Two arms for this protocol: 0 = No E-Mail, 1 = Womens E-Mail.
  const arm = Int32Array.from(data.arm, (a) => (a === 2 ? 1 : 0))
  const table = new SeedTable(opts.seeds)
  opts.seeds.forEach((seed, k) => {
    opts.progress?.(`hillstrom-uplift seed ${seed} (${k + 1}/${opts.seeds.length})`)
    const split = sklearnTrainTestSplit(rows.length, 0.5, seed)
    const train = selectHillstrom(data, split.train)
    const test = selectHillstrom(data, split.test)
    const trainArm = Int32Array.from(split.train, (i) => arm[i])
    const testT = Float64Array.from(split.test, (i) => arm[i])
    const sel = trainSelectedUplift({ x: train.x, arm: trainArm, y: train.visit }, ["No E-Mail", "Womens E-Mail"], 0, seed, undefined, (m) =>
      opts.progress?.(`hillstrom-uplift seed ${seed}: ${m}`)
    )
    const u = predictUplift(sel.model, test.x)[1]
    table.add("hillstrom-uplift", "uplift_at_30", upliftAtK(test.visit, u, testT, 0.3), HILLSTROM_ANCHORS.upliftAt30, undefined, { learner: sel.chosen })
    table.add("hillstrom-uplift", "qini_auc", qiniAucScore(test.visit, u, testT), null, undefined, { learner: sel.chosen })
    table.add("hillstrom-uplift", "uplift_at_30", ate(test.visit, testT), HILLSTROM_ANCHORS.random, "random targeting (test ATE)")
  })
  return table.rows()
}
