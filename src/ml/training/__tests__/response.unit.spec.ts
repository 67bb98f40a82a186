/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { mulberry32 } from "../../data/split"
import { logloss } from "../../metrics/classification"
import { offerFeatures } from "../../decision/offer-features"
import { OnnxScorer } from "../../runtime"
import { chosenResponseLearner, RESPONSE_LEARNERS, ResponseExample, responseModelFromEnsemble, simplestWithinOneSe, trainResponseModel } from "../response"
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

/** A trained artifact's logloss on logged decisions, through the served trees and the project's logloss. */
function servedLogloss(artifact: ReturnType<typeof trainResponseModel>["artifact"], rows: ResponseExample[]): number {
  const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, artifact.featureSchema.map((feature) => feature.name))
  return logloss(rows.map((row) => row.converted), rows.map((row) => model.predict(row.features, [row.discount_percent])[0]))
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
    // The champion's served trees on the challenger's validation rows (the latest 20% by time), not on others.
    const loglossOf = (rows: ResponseExample[]) => servedLogloss(champion.artifact, rows)
    expect(challenger.selection.champion).toBeCloseTo(loglossOf(log.slice(1200)), 6)
    expect(challenger.selection.champion).not.toBeCloseTo(loglossOf(log.slice(0, 1200)), 3)
    expect(trainResponseModel(log, "alone").selection.champion).toBeUndefined()
  })

  it("compares with a champion only on validation decisions it did not train on, when there are enough", () => {
    const log = decisionLog(2000, 4)
    // Served refitted on its whole log, the champion trained on the first 1,800 decisions: 200 of the
    // challenger's 400 validation decisions are its own training rows.
    const champion = trainResponseModel(log.slice(0, 1800), "champion", undefined, { learners: ["t-learner logistic l2=1"] }).artifact
    const loglossOf = (rows: ResponseExample[]) => servedLogloss(champion, rows)
    const options = { learners: ["t-learner logistic l2=1"], champion: champion.reference as TreeEnsemble }
    const challenger = trainResponseModel(log, "challenger", undefined, { ...options, championTrainedTo: Date.parse(champion.trainedOn.to) })
    expect(challenger.artifact.metrics.validation_rows).toBe(200)
    expect(challenger.selection.champion).toBeCloseTo(loglossOf(log.slice(1800)), 6)
    // Without its training instant, both are scored on all 400, half of them the champion's own rows.
    const blind = trainResponseModel(log, "blind", undefined, options)
    expect(blind.artifact.metrics.validation_rows).toBe(400)
    expect(blind.selection.champion).toBeCloseTo(loglossOf(log.slice(1600)), 6)
    // Under 200 unseen decisions, all of them too.
    const late = trainResponseModel(log, "late", undefined, { ...options, championTrainedTo: log[1850].at })
    expect(late.artifact.metrics.validation_rows).toBe(400)
  })

  it("validates on the latest fifth of the log but serves a model refitted on all of it", () => {
    // Earlier decisions: only shoppers without history, who do not react. The latest fifth: recent buyers, who
    // buy far more at 10% off. Only a model fitted on the latest decisions too knows them.
    const rng = mulberry32(11)
    const log = Array.from({ length: 2000 }, (_, i) => {
      const at = Date.UTC(2026, 0, 1) + i * 3_600_000
      const recent = i >= 1600
      const purchases = recent ? [{ at: at - 10 * DAY, orderId: `o${i}`, value: 100, categories: ["Mens"] }] : []
      const features = offerFeatures({ purchases, signedUpAt: null, basket: { value: 100, items: 2 }, attributes: {}, at })
      const level = LEVELS[Math.floor(rng() * 3)]
      const p = recent && level === 10 ? 0.7 : 0.1
      return { features, discount_percent: level, propensity: 1 / 3, converted: rng() < p ? 1 : 0, at } as ResponseExample
    })
    const uplift = (artifact: ReturnType<typeof trainResponseModel>["artifact"]) => {
      const columns = artifact.featureSchema.map((feature) => feature.name)
      const [none, ten] = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, columns).predict(log[1999].features, [0, 10])
      return ten - none
    }
    const learners = ["t-learner logistic l2=1"]
    const { artifact } = trainResponseModel(log, "refit", undefined, { learners })
    expect(uplift(artifact)).toBeGreaterThan(0.3)
    expect(Math.abs(uplift(trainResponseModel(log, "validated", undefined, { learners, refit: false }).artifact))).toBeLessThan(0.1)
    expect(artifact.trainedOn.to).toBe(new Date(log[1999].at).toISOString())
    // Its validation figures are those of the fit without the latest fifth, which missed the recent buyers.
    expect(artifact.metrics.auc).toBeLessThan(0.6)
    // The artifact names its learner in its metrics.
    expect(artifact.metrics.chosen_t_learner_logistic_l2_1).toBe(1)
    expect(chosenResponseLearner(artifact.metrics)).toBe("t-learner logistic l2=1")
  })

  it("reads the learner of artifacts trained before it was named, from their index", () => {
    expect(chosenResponseLearner({ learner: 0, logloss: 0.3 })).toBe(RESPONSE_LEARNERS[0].name)
    expect(chosenResponseLearner({ logloss: 0.3 })).toBeNull()
    expect(chosenResponseLearner({ learner: 0, chosen_s_learner_logistic_l2_10: 1 })).toBe("s-learner logistic l2=10")
  })

  it("chooses the simplest learner family within one standard error of the best, and that family's best", () => {
    const learner = (name: string) => RESPONSE_LEARNERS.find((candidate) => candidate.name === name)!
    const scored = (name: string, score: number, standardError = 0.05) => ({ learner: learner(name), score, standardError })
    const close = [scored("x-learner d2", 1.0), scored("t-learner logistic l2=100", 0.96), scored("t-learner logistic l2=1", 0.98), scored("t-learner d2", 0.99)]
    expect(simplestWithinOneSe(close).learner.name).toBe("t-learner logistic l2=1")
    const pooledBehind = [scored("x-learner d2", 1.0), scored("t-learner logistic l2=100", 0.97), scored("s-learner logistic l2=10", 0.9)]
    expect(simplestWithinOneSe(pooledBehind).learner.name).toBe("t-learner logistic l2=100")
    const pooledWithin = [...pooledBehind.slice(0, 2), scored("s-learner logistic l2=10", 0.96)]
    expect(simplestWithinOneSe(pooledWithin).learner.name).toBe("s-learner logistic l2=10")
    const treesAhead = [scored("x-learner d2", 1.0, 0.01), scored("t-learner logistic l2=100", 0.97, 0.01), scored("s-learner logistic l2=10", 0.96, 0.01)]
    expect(simplestWithinOneSe(treesAhead).learner.name).toBe("x-learner d2")
  })

  it("waits for data until the log holds decisions with and without a discount", () => {
    const onlyDiscounted = decisionLog(200, 2).map((example) => ({ ...example, discount_percent: 10 }))
    expect(() => trainResponseModel(onlyDiscounted, "v")).toThrow(/without a discount and with one/)
  })
})
