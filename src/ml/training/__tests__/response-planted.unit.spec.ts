/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { mulberry32 } from "../../data/split"
import { offerFeatures } from "../../decision/offer-features"
import { OnnxScorer } from "../../runtime"
import { chosenResponseLearner, ResponseExample, responseModelFromEnsemble, trainResponseModel } from "../response"
import type { TreeEnsemble } from "../../trees/types"

const DAY = 86_400_000
const LEVELS = [0, 10, 15]

/** Known P(buy | recency, level): recent shoppers buy most at 10%, the middle ones only react to 15%, the old ones not at all. */
function truth(recencyDays: number, level: number): number {
  if (recencyDays < 60) return 0.2 + (level === 10 ? 0.35 : level === 15 ? 0.15 : 0)
  if (recencyDays < 180) return 0.15 + (level === 15 ? 0.3 : 0)
  return 0.1
}

/**
 * The logging policy is far from uniform and confounded with the segments: recent shoppers mostly got 15%
 * (not their best), the middle ones mostly 10% (no effect), the old ones mostly nothing; each decision logs
 * the probability of the level it drew.
 */
const LOGGING: [number, number[]][] = [
  [60, [0.15, 0.15, 0.7]],
  [180, [0.2, 0.6, 0.2]],
  [Infinity, [0.6, 0.2, 0.2]],
]

function decisionLog(n: number, seed: number): ResponseExample[] {
  const rng = mulberry32(seed)
  return Array.from({ length: n }, (_, i) => {
    const at = Date.UTC(2026, 0, 1) + i * 3_600_000
    const recencyDays = Math.floor(rng() * 360) + 1
    const purchases = [{ at: at - recencyDays * DAY, orderId: `o${i}`, value: 50 + rng() * 100, categories: [rng() < 0.5 ? "Mens" : "Womens"] }]
    const features = offerFeatures({ purchases, signedUpAt: null, basket: { value: 100, items: 2 }, attributes: { channel: rng() < 0.5 ? "web" : "phone" }, at })
    const probabilities = LOGGING.find(([below]) => recencyDays < below)![1]
    const u = rng()
    const arm = u < probabilities[0] ? 0 : u < probabilities[0] + probabilities[1] ? 1 : 2
    return { features, discount_percent: LEVELS[arm], propensity: probabilities[arm], converted: rng() < truth(recencyDays, LEVELS[arm]) ? 1 : 0, margin_percent: 30, at } as ResponseExample
  })
}

const shopper = (recencyDays: number) =>
  offerFeatures({ purchases: [{ at: -recencyDays * DAY, orderId: "o", value: 100, categories: ["Mens"] }], signedUpAt: null, basket: { value: 100, items: 2 }, attributes: { channel: "web" }, at: 0 })

describe("the live response trainer recovers a planted per-level effect from a non-uniform decision log", () => {
  jest.setTimeout(600_000)
  const log = decisionLog(5000, 11)

  it.each([["chosen by cross-fitted IPW profit policy value", undefined], ...["t-learner d2", "s-learner d2", "x-learner d2", "dr-learner d2"].map((name) => [name, [name]] as [string, string[]])])(
    "%s: the served model's best level is each segment's true best",
    async (_name, learners) => {
      const { artifact } = trainResponseModel(log, "planted", undefined, { learners })
      const columns = artifact.featureSchema.map((feature) => feature.name)
      const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, columns)
      const best = (p: number[]) => LEVELS[p.indexOf(Math.max(...p))]
      // Shoppers at least 20 days from a segment's edge (60, 180): where a tree puts the split is an estimate.
      for (const recency of [10, 25, 40]) {
        const p = model.predict(shopper(recency), LEVELS)
        expect(best(p)).toBe(10)
        expect(p[1] - p[0]).toBeGreaterThan(0.1)
      }
      for (const recency of [80, 120, 160]) {
        const p = model.predict(shopper(recency), LEVELS)
        expect(best(p)).toBe(15)
        expect(p[2] - p[0]).toBeGreaterThan(0.1)
        expect(Math.abs(p[1] - p[0])).toBeLessThan(0.1)
      }
      for (const recency of [220, 300, 350]) {
        const p = model.predict(shopper(recency), LEVELS)
        expect(Math.max(...p) - Math.min(...p)).toBeLessThan(0.1)
      }
      // What serves is the ONNX graph of the same trees.
      const scorer = await OnnxScorer.fromBytes(artifact.onnx, { providers: ["cpu"] })
      const rows = [shopper(30), shopper(120)].flatMap((features) => LEVELS.map((level) => columns.map((column) => (column === "discount_percent" ? level : features[column] ?? 0))))
      const onnx = await scorer.runMatrix("features", Float32Array.from(rows.flat()), rows.length, "probability")
      const typescript = [...model.predict(shopper(30), LEVELS), ...model.predict(shopper(120), LEVELS)]
      typescript.forEach((p, i) => expect(onnx[i]).toBeCloseTo(p, 4))
      await scorer.release()
      if (learners) expect(chosenResponseLearner(artifact.metrics)).toBe(learners[0])
      if (learners?.[0].startsWith("x-") || learners?.[0].startsWith("dr-")) expect(artifact.metrics.served_uplift_mae).toBeLessThan(0.03)
    }
  )
})
