import { makeMatrix } from "../../data/matrix"
import { mulberry32 } from "../../data/split"
import { predictProba } from "../../trees/predict"
import { BINNED_LOGISTIC_DEFAULTS, trainBinnedLogisticTLearner } from "../binned-logistic"
import { levelEnsemble } from "../level-ensemble"

/** Two arms; arm 1 lifts P(buy) only for shoppers with x0 > 0.5. A discrete column (x1) and a continuous one (x0). */
function data(n: number, seed: number) {
  const rng = mulberry32(seed)
  const x = makeMatrix(n, ["x0", "x1"])
  const arm = new Int32Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const x0 = rng()
    const x1 = Math.floor(rng() * 3)
    x.data.set([x0, x1], i * 2)
    arm[i] = rng() < 0.5 ? 1 : 0
    const p = 0.1 + 0.05 * x1 + (arm[i] === 1 && x0 > 0.5 ? 0.3 : 0)
    y[i] = rng() < p ? 1 : 0
  }
  return { x, arm, y }
}

describe("binned-logistic T-learner", () => {
  it.each(["linear", "binned"] as const)("%s form: the served trees (one ensemble over the features and the level) recover the per-arm effect", (form) => {
    const d = data(6000, 3)
    const { model, oofP } = trainBinnedLogisticTLearner(d, { arms: ["0", "1"], control: 0, seed: 1 }, { ...BINNED_LOGISTIC_DEFAULTS, form, l2Grid: [1] })
    const ensemble = levelEnsemble(model, [0, 1], ["x0", "x1"], "level")
    const probe = makeMatrix(4, ["x0", "x1", "level"])
    probe.data.set([0.1, 1, 0, 0.1, 1, 1, 0.9, 1, 0, 0.9, 1, 1])
    const [lowControl, lowTreated, highControl, highTreated] = Array.from(predictProba(ensemble, probe))
    expect(highTreated - highControl).toBeGreaterThan(0.15)
    expect(highTreated - highControl).toBeGreaterThan(lowTreated - lowControl + 0.1)
    // Honest scores exist for every row under every arm, inside (0, 1).
    for (const p of oofP) expect(Array.from(p).every((v) => v > 0 && v < 1)).toBe(true)
  })
})
