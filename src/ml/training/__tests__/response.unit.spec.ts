/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { mulberry32 } from "../../data/split"
import { offerFeatures } from "../../decision/offer-features"
import { OnnxScorer } from "../../runtime"
import { RESPONSE_LEARNERS, ResponseExample, responseModelFromEnsemble, simplestWithinOneSe, trainResponseModel } from "../response"
import type { TreeEnsemble } from "../../trees/types"

const DAY = 86_400_000
const LEVELS = [0, 10, 15]

/**
 * Decisions as the log holds them: a uniformly exploring policy (propensity 1/3 per level). Recent buyers
 * (recency under 60 days) buy 40 points more often at 10% off and 15% off; the others do not react.
 */
function decisionLog(n: number, seed: number): ResponseExample[] {
  const rng = mulberry32(seed)
  return Array.from({ length: n }, (_, i) => {
    const at = Date.UTC(2026, 0, 1) + i * 3_600_000
    const recencyDays = Math.floor(rng() * 360) + 1
    const purchases = [{ at: at - recencyDays * DAY, orderId: `o${i}`, value: 50 + rng() * 100, categories: [rng() < 0.5 ? "Mens" : "Womens"] }]
    const features = offerFeatures({ purchases, signedUpAt: null, basket: { value: 100, items: 2 }, attributes: { channel: rng() < 0.5 ? "web" : "phone" }, at })
    const level = LEVELS[Math.floor(rng() * 3)]
    const p = 0.15 + (recencyDays < 60 && level > 0 ? 0.4 : 0)
    return { features, discount_percent: level, propensity: 1 / 3, converted: rng() < p ? 1 : 0, at } as ResponseExample
  })
}

describe("response model from the decision log", () => {
  jest.setTimeout(120_000)

  it("recovers a planted uplift for every level, chosen by cross-fitted Qini, and ONNX scores as TypeScript does", async () => {
    const { artifact } = trainResponseModel(decisionLog(3000, 1), "response-test")
    const columns = artifact.featureSchema.map((feature) => feature.name)
    expect(columns.at(-1)).toBe("discount_percent")
    const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, columns)
    const shopper = (recencyDays: number) =>
      offerFeatures({ purchases: [{ at: -recencyDays * DAY, orderId: "o", value: 100, categories: ["Mens"] }], signedUpAt: null, basket: { value: 100, items: 2 }, attributes: { channel: "web" }, at: 0 })
    const [none, ten, fifteen] = model.predict(shopper(20), LEVELS)
    expect(ten - none).toBeGreaterThan(0.15)
    expect(fifteen - none).toBeGreaterThan(0.15)
    const [lateNone, lateTen] = model.predict(shopper(200), LEVELS)
    expect(Math.abs(lateTen - lateNone)).toBeLessThan(0.1)
    expect(artifact.metrics.auc).toBeGreaterThan(0.55)

    const scorer = await OnnxScorer.fromBytes(artifact.onnx, { providers: ["cpu"] })
    const rows = [shopper(20), shopper(200)].flatMap((features) => LEVELS.map((level) => columns.map((column) => (column === "discount_percent" ? level : features[column] ?? 0))))
    const onnx = await scorer.runMatrix("features", Float32Array.from(rows.flat()), rows.length, "probability")
    const typescript = [...model.predict(shopper(20), LEVELS), ...model.predict(shopper(200), LEVELS)]
    typescript.forEach((p, i) => expect(onnx[i]).toBeCloseTo(p, 4))
    await scorer.release()
  })

  it("scores the active model on the challenger's own validation rows, for champion/challenger", () => {
    const log = decisionLog(1500, 3)
    const champion = trainResponseModel(log.slice(0, 1000), "champion")
    const challenger = trainResponseModel(log, "challenger", undefined, { champion: champion.artifact.reference as TreeEnsemble })
    expect(challenger.selection.champion).toBeGreaterThan(0)
    expect(challenger.artifact.metrics.champion_logloss).toBe(challenger.selection.champion)
    // The same trees on the same rows: the same value (a value from other rows would differ).
    const again = trainResponseModel(log, "again", undefined, { champion: challenger.artifact.reference as TreeEnsemble })
    expect(again.selection.champion).toBeCloseTo(again.selection.value, 10)
    expect(champion.selection.value).not.toBeCloseTo(again.selection.value, 3)
    expect(trainResponseModel(log, "alone").selection.champion).toBeUndefined()
  })

  it("chooses the simplest learner family within one standard error of the best, and that family's best", () => {
    const learner = (name: string) => RESPONSE_LEARNERS.find((candidate) => candidate.name === name)!
    const scored = (name: string, score: number, standardError = 0.05) => ({ learner: learner(name), score, standardError })
    const close = [scored("x-learner d2", 1.0), scored("t-learner logistic l2=100", 0.97), scored("s-learner logistic l2=10", 0.94), scored("s-learner logistic l2=300", 0.96)]
    expect(simplestWithinOneSe(close).learner.name).toBe("s-learner logistic l2=300")
    const pooledBehind = [scored("x-learner d2", 1.0), scored("t-learner logistic l2=100", 0.97), scored("s-learner logistic l2=300", 0.9)]
    expect(simplestWithinOneSe(pooledBehind).learner.name).toBe("t-learner logistic l2=100")
    const treesAhead = [scored("x-learner d2", 1.0, 0.01), scored("t-learner logistic l2=100", 0.97, 0.01), scored("s-learner logistic l2=300", 0.96, 0.01)]
    expect(simplestWithinOneSe(treesAhead).learner.name).toBe("x-learner d2")
  })

  it("waits for data until the log holds decisions with and without a discount", () => {
    const onlyDiscounted = decisionLog(200, 2).map((example) => ({ ...example, discount_percent: 10 }))
    expect(() => trainResponseModel(onlyDiscounted, "v")).toThrow(/without a discount and with one/)
  })
})
