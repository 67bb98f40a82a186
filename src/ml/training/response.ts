import { matrixFromRows } from "../data/matrix"
import type { GbdtParams } from "../trees/gbdt"
import { trainUpliftWithOof, UpliftLearnerKind, UpliftModel, UpliftTrainData } from "../uplift/learners"
import { scoreUplift } from "../uplift/select"
import { levelEnsemble } from "../uplift/level-ensemble"
import { servedPerArmModel } from "../uplift/distill"
import { BINNED_LOGISTIC_DEFAULTS, trainBinnedLogisticTLearner, trainPooledLogistic } from "../uplift/binned-logistic"
import { predictProba } from "../trees/predict"
import type { TreeEnsemble } from "../trees/types"
import { exportTreeEnsemble } from "../onnx/exporters"
import { logloss, rocAuc } from "../metrics/classification"
import type { ModelArtifact } from "../artifact/artifact"
import type { ResponseModel } from "../decision/offer-decision"
import { featureColumns, vectorize } from "../decision/offer-features"
import { NotEnoughDataError, type TrainedModel, type TrainingProgress } from "./types"

/** The offered level: the one column the S-learner adds to the shopper's offer features. */
export const LEVEL_FEATURE = "discount_percent"

/** One logged decision with its outcome; features are the offer features as of decision time (offer-features.ts). */
export interface ResponseExample {
  features: Record<string, number>
  discount_percent: number
  /** Probability of the logged level under the policy as applied. */
  propensity: number
  converted: 0 | 1
  /** The basket's gross margin in percent when decided (the profit a level leaves); null or absent when unknown. */
  margin_percent?: number | null
  /** Decision time, unix ms: the validation split is the latest 20%, never shuffled across time. */
  at: number
}

/**
 * A logged offer decision whose attribution window has closed, as the discounts module keeps it: what the
 * response model's training set is built from (with the shopper's purchases, which the uplift module keeps).
 */
export interface LoggedDecision {
  customer_id: string
  /** Decision time (ISO string, or a Date where it did not cross a queue). */
  created_at: string | Date
  chosen_percent: number
  propensity: number
  basket_value: number
  /** The basket's gross margin in percent when decided (null when the cart did not say). */
  margin_percent?: number | null
  /** The features the decision saw, as they were then. */
  features: Record<string, unknown> | null
}

export const MIN_RESPONSE_EXAMPLES = 20

export interface ResponseTrainingOptions {
  /** Names from RESPONSE_LEARNERS to choose among (default: all of them). */
  learners?: string[]
  /** The serving model, scored on the same validation rows so champion/challenger compares like with like. */
  champion?: TreeEnsemble | null
  /** The serving model's latest training decision (unix ms): validation then uses the decisions after it. */
  championTrainedTo?: number | null
  /**
   * Serve the chosen learner refitted on every decision (default) or, with false, its fit without the latest
   * 20% (the validated one; the offline harness compares the two).
   */
  refit?: boolean
}

/**
 * Uplift learners of src/ml/uplift that give P(buy | shopper, level). The X- and DR-learners build on the
 * T-learner of the same settings (its honest outcome scores give their pseudo-outcomes), fitted once for all
 * three. `l2`: L2-regularised logistic regressions, one per level (T) or `pooled` over the levels (S) (src/ml/uplift/binned-logistic.ts), served as
 * trees too. `family` ranks them from the simplest (0: pooled logistic, 1: per-level logistic, 2: boosted trees)
 * for the one-standard-error rule that chooses among them (simplestWithinOneSe). A pooled logistic at L2 300 was
 * a candidate too: on the loop's logs it shrank the level's terms until it offered (nearly) nothing, and without
 * it the loop decided better by 0.047 per shopper (offline harness, 15 seed-draws; also with the arms swapped).
 */
export const RESPONSE_LEARNERS: { name: string; kind: Extract<UpliftLearnerKind, "t-learner" | "s-learner" | "x-learner" | "dr-learner">; params: Partial<GbdtParams>; l2?: number; pooled?: true; family: 0 | 1 | 2 }[] = [
  { name: "t-learner d2", kind: "t-learner", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, family: 2 },
  { name: "s-learner d2", kind: "s-learner", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, family: 2 },
  { name: "s-learner d3", kind: "s-learner", params: { maxDepth: 3, learningRate: 0.05, minChildWeight: 20 }, family: 2 },
  { name: "x-learner d2", kind: "x-learner", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, family: 2 },
  { name: "dr-learner d2", kind: "dr-learner", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, family: 2 },
  { name: "t-learner logistic l2=1", kind: "t-learner", params: {}, l2: 1, family: 1 },
  { name: "t-learner logistic l2=100", kind: "t-learner", params: {}, l2: 100, family: 1 },
  { name: "t-learner logistic l2=3000", kind: "t-learner", params: {}, l2: 3000, family: 1 },
  { name: "s-learner logistic l2=10", kind: "s-learner", params: {}, l2: 10, pooled: true, family: 0 },
]
const COMMON_PARAMS: Partial<GbdtParams> = { nRounds: 300, earlyStoppingRounds: 30 }
/**
 * A leaf holds at least this share of the training rows (in hessian units; never under the learner's own
 * floor): uplift is small against purchase noise. Hillstrom replay (npm run simulate, 5-seed means): a fixed
 * floor of 20 gave 3.40, 1% of the training rows 3.42 (1.2%: 3.42); a floor of 1000 (about 4%) collapsed to
 * "no discount" on seeds 2 and 42.
 */
const MIN_CHILD_SHARE = 0.01
/** Inverse propensities are clipped here, so one lucky explored decision cannot dominate the fit. */
const MIN_PROPENSITY = 0.05

/**
 * P(buy | shopper, level) for every ladder level, as an uplift model: the learners of src/ml/uplift
 * (T-, S-, X- and DR-learners) fitted on the decision log with the logged propensities (T, S and X weighted
 * by inverse propensity, DR dividing its correction terms by it), chosen by the cross-fitted profit policy value
 * (Qini where the log has no margins; both weighted by inverse propensity, as the log is not uniform) under the
 * one-standard-error rule over learner families (simplestWithinOneSe). The kept
 * learner is served as per-level outcome models (src/ml/uplift/distill.ts: T and S as they are, X and DR as
 * their control model plus one GBDT per treated level fitted to their P(buy | x, level)), folded into one
 * tree ensemble over the offer features plus the level (level-ensemble.ts: ONNX and TypeScript score the
 * same trees). The learner is chosen and validated on the earlier 80% of decisions by time (champion/challenger
 * compares logloss on the latest 20%), then served refitted on all of them.
 */
export function trainResponseModel(
  examples: ResponseExample[],
  version: string,
  progress: TrainingProgress = () => undefined,
  options: ResponseTrainingOptions = {}
): TrainedModel {
  const labels = new Set(examples.map((example) => example.converted))
  if (examples.length < MIN_RESPONSE_EXAMPLES || labels.size < 2) {
    throw new NotEnoughDataError(
      `waiting for data: the response model learns from offer decisions whose outcome is known (their 7-day attribution window has closed); ${examples.length} have one, it needs ${MIN_RESPONSE_EXAMPLES} with both purchases and non-purchases among them`
    )
  }
  const ordered = [...examples].sort((a, b) => a.at - b.at)
  const cut = Math.max(1, Math.floor(ordered.length * 0.8))
  const [train, valid] = [ordered.slice(0, cut), ordered.slice(cut)]
  const levels = [...new Set(train.map((row) => row.discount_percent))].sort((a, b) => a - b)
  if (levels[0] !== 0 || levels.length < 2) {
    throw new NotEnoughDataError("waiting for data: the response model compares decisions without a discount and with one; exploration or a holdout provides both")
  }
  const columns = featureColumns(examples.map((example) => example.features))
  const data = upliftData(train, columns, levels)
  progress("fit", 20, `training on ${train.length} decisions at levels ${levels.join(", ")}%, validating on the latest ${valid.length}`)
  const margins = train.map((row) => (typeof row.margin_percent === "number" && Number.isFinite(row.margin_percent) ? row.margin_percent : null))
  const byValue = margins.some((margin) => margin !== null)
  const criterion = byValue ? "cross-fitted profit policy value" : "cross-fitted Qini"
  const fitted: ScoredCandidate[] = []
  const scores: Record<string, number> = {}
  const bases = new Map<string, { model: UpliftModel; oofP: Float64Array[] }>()
  const candidates = RESPONSE_LEARNERS.filter((learner) => !options.learners || options.learners.includes(learner.name))
  if (candidates.length === 0) throw new Error(`no response learner named ${options.learners!.join(", ")}; learners: ${RESPONSE_LEARNERS.map((learner) => learner.name).join(", ")}`)
  for (const [index, learner] of candidates.entries()) {
    const { model, oofUplift, oofP } = fitCandidate(learner, data, levels, train.length, bases)
    const key = metricKey(learner.name)
    const qini = finiteOr(scoreUplift(oofUplift, data, 0).qini, 0)
    scores[`qini_${key}`] = qini
    const terms = byValue ? greedyProfitTerms(oofP, train, margins, levels) : null
    const value = terms && meanOf(terms)
    if (value !== null) scores[`policy_value_${key}`] = value
    progress("fit", 20 + Math.round((60 * (index + 1)) / candidates.length), `out-of-fold ${learner.name}: Qini ${qini.toFixed(4)}${value === null ? "" : `, profit policy value ${value.toFixed(4)} per decision`}`)
    fitted.push({ learner, model, score: value ?? qini, standardError: terms ? standardError(terms) : 0 })
  }
  const best = simplestWithinOneSe(fitted)
  // Trees are chosen by scores of folds early-stopped on their own rows, and served as the usual cross-fitted
  // bag (early-stopped on the held-out folds: more rows in each fit).
  const chosen = best.learner.family === 2 ? fitCandidate(best.learner, data, levels, train.length, new Map(), false).model : best.model
  const servedValidated = servedPerArmModel(chosen, data.x, 17)
  const validated = levelEnsemble(servedValidated.model, levels, columns, LEVEL_FEATURE)
  progress("validate", 85)
  const validRows = comparedRows(valid.length ? valid : train, options.championTrainedTo)
  const validProba = predictProba(validated, matrixFromRows(validRows.map((row) => levelRow(row.features, row.discount_percent, validated.featureNames)), validated.featureNames))
  // Validated on the latest 20%, served refitted on every decision: a few thousand explored decisions are
  // all a young store has, and the fit on all of them decides better than the one that left a fifth out.
  const refit = options.refit !== false && valid.length > 0
  const everyRow = refit ? ordered.filter((row) => levels.includes(row.discount_percent)) : train
  const allData = refit ? upliftData(everyRow, columns, levels) : data
  const served = refit ? servedPerArmModel(fitCandidate(best.learner, allData, levels, everyRow.length, new Map(), false).model, allData.x, 17) : servedValidated
  const ensemble = refit ? levelEnsemble(served.model, levels, columns, LEVEL_FEATURE) : validated
  const validY = validRows.map((row) => row.converted)
  // The active model on the same rows: the ones it did not train on where there are enough of them (it is
  // served refitted on every decision it had), else all of them (a favour to it: promotion stays conservative).
  const champion = options.champion
  const championLogloss = champion ? loglossOn(champion, validRows) : null
  const metrics = {
    ...(championLogloss === null ? {} : { champion_logloss: championLogloss }),
    logloss: logloss(validY, validProba),
    auc: new Set(validY).size > 1 ? rocAuc(validY, validProba) : 0.5,
    validation_rows: validRows.length,
    examples: examples.length,
    levels: levels.length,
    learner: RESPONSE_LEARNERS.indexOf(best.learner),
    [`${CHOSEN_PREFIX}${metricKey(best.learner.name)}`]: 1,
    served_uplift_mae: served.upliftMae,
    ...scores,
  }
  const artifact: ModelArtifact<TreeEnsemble> = {
    kind: "response",
    version,
    featureSchema: ensemble.featureNames.map((name) => ({ name, type: "float" as const })),
    trainedOn: { from: new Date(ordered[0].at).toISOString(), to: new Date(ordered[ordered.length - 1].at).toISOString() },
    metrics,
    createdAt: new Date().toISOString(),
    onnx: exportTreeEnsemble(ensemble),
    reference: ensemble,
  }
  const servedForm = served.upliftMae > 0 ? ` (served as per-level outcome models, mean |uplift gap| ${served.upliftMae.toFixed(4)} on the training rows)` : ""
  progress("done", 100, `${best.learner.name} chosen by ${criterion}${servedForm}; validation logloss ${metrics.logloss.toFixed(4)}, AUC ${metrics.auc.toFixed(4)}`)
  return { artifact, selection: { metric: "logloss", value: metrics.logloss, higherIsBetter: false, ...(championLogloss === null ? {} : { champion: championLogloss }) } }
}

type ResponseLearner = (typeof RESPONSE_LEARNERS)[number]

/** Metrics are numbers, so the chosen learner is named by a key, `chosen_<name>: 1`: an index would change meaning with the list. */
const CHOSEN_PREFIX = "chosen_"

function metricKey(name: string): string {
  return name.replace(/[^a-z0-9]+/g, "_")
}

/**
 * The name of the learner a response artifact serves, from its metrics: the `chosen_` key, or for artifacts
 * trained before it, `learner` (an index into RESPONSE_LEARNERS as it was then). Null when neither says.
 */
export function chosenResponseLearner(metrics: Record<string, number>): string | null {
  const key = Object.keys(metrics).find((name) => name.startsWith(CHOSEN_PREFIX) && metrics[name] === 1)
  if (key) return RESPONSE_LEARNERS.find((learner) => `${CHOSEN_PREFIX}${metricKey(learner.name)}` === key)?.name ?? key.slice(CHOSEN_PREFIX.length)
  return RESPONSE_LEARNERS[metrics.learner]?.name ?? null
}

/** Below this many validation decisions after the champion's training, both are scored on all of them. */
const MIN_UNSEEN_VALIDATION_ROWS = 200

/** The validation decisions the champion did not train on, when there are enough of them; else all of them. */
function comparedRows(validRows: ResponseExample[], championTrainedTo: number | null | undefined): ResponseExample[] {
  if (championTrainedTo === null || championTrainedTo === undefined) return validRows
  const unseen = validRows.filter((row) => row.at > championTrainedTo)
  return unseen.length >= MIN_UNSEEN_VALIDATION_ROWS ? unseen : validRows
}

/**
 * One candidate fitted with honest (out-of-fold) P(buy | row, level) for every level: T and S give them; X and
 * DR give their T-learner's control probability plus their honest effect. A T-learner's fit is kept in `bases`
 * for the X- and DR-learners of the same settings.
 */
function fitCandidate(
  learner: ResponseLearner,
  data: UpliftTrainData,
  levels: number[],
  trainRows: number,
  bases: Map<string, { model: UpliftModel; oofP: Float64Array[] }>,
  innerEarlyStopping = true
): { model: UpliftModel; oofUplift: Float64Array[]; oofP: Float64Array[] } {
  const arms = levels.map(String)
  if (learner.l2 !== undefined) {
    const { model, oofP } = learner.pooled
      ? trainPooledLogistic(data, { arms, control: 0, seed: 17 }, learner.l2)
      : trainBinnedLogisticTLearner(data, { arms, control: 0, seed: 17 }, { ...BINNED_LOGISTIC_DEFAULTS, l2Grid: [learner.l2] })
    return { model, oofP, oofUplift: oofP.map((p) => p.map((v, i) => v - oofP[0][i])) }
  }
  const params = { ...COMMON_PARAMS, ...learner.params, minChildWeight: Math.max(learner.params.minChildWeight ?? 1, MIN_CHILD_SHARE * trainRows) }
  const upliftOptions = { kind: learner.kind, arms, control: 0, params, folds: 4, repeats: 1, seed: 17, innerEarlyStopping }
  const baseKey = JSON.stringify(params)
  if (learner.kind === "t-learner" || learner.kind === "s-learner") {
    const fitted = trainUpliftWithOof(data, upliftOptions)
    if (learner.kind === "t-learner") bases.set(baseKey, { model: fitted.model, oofP: fitted.oofP! })
    return { ...fitted, oofP: fitted.oofP! }
  }
  let base = bases.get(baseKey)
  if (!base) {
    const fitted = trainUpliftWithOof(data, { ...upliftOptions, kind: "t-learner" })
    base = { model: fitted.model, oofP: fitted.oofP! }
    bases.set(baseKey, base)
  }
  const control = base.oofP[0]
  const fitted = trainUpliftWithOof(data, upliftOptions, base)
  return { ...fitted, oofP: fitted.oofUplift.map((u) => u.map((v, i) => Math.min(1, Math.max(0, control[i] + v)))) }
}

/**
 * The inverse-propensity value per decision of the policy the candidate would serve (profit objective,
 * exploration 0: each row's level of highest P(buy) x (margin - level)), from its out-of-fold probabilities:
 * mean over rows with a known margin of [logged level = greedy] x converted x basket x (margin - level) / 100 /
 * logged propensity. What the decision engine maximizes, estimated without the rows' own outcomes in the fit.
 */
export function greedyProfitValue(oofP: Float64Array[], rows: ResponseExample[], margins: (number | null)[], levels: number[]): number {
  return meanOf(greedyProfitTerms(oofP, rows, margins, levels))
}

/** greedyProfitValue's term for each row with a known margin (their mean is the value). */
function greedyProfitTerms(oofP: Float64Array[], rows: ResponseExample[], margins: (number | null)[], levels: number[]): number[] {
  const terms: number[] = []
  rows.forEach((row, i) => {
    const margin = margins[i]
    if (margin === null) return
    let greedy = 0
    levels.forEach((level, a) => {
      if (oofP[a][i] * (margin - level) > oofP[greedy][i] * (margin - levels[greedy])) greedy = a
    })
    const matched = levels[greedy] === row.discount_percent && row.converted
    const basket = row.features.basket_value ?? 0
    terms.push(matched ? (basket * (margin - row.discount_percent)) / 100 / Math.max(MIN_PROPENSITY, row.propensity || 1) : 0)
  })
  return terms
}

interface ScoredCandidate {
  learner: ResponseLearner
  model: UpliftModel
  /** Cross-fitted profit policy value (or Qini where the log has no margins). */
  score: number
  /** The policy value's standard error over the training rows (0 for Qini). */
  standardError: number
}

/**
 * The one-standard-error rule over learner families: the simplest family (RESPONSE_LEARNERS' `family`, 0 the
 * simplest) with a candidate scoring within one standard error of the best candidate's score, and that
 * family's best candidate (its regularisation chosen by the same cross-fitted score). The policy value of a
 * few thousand explored decisions is noisy; picking the best by it favoured flexible learners that overfit
 * the loop's log (offline harness, loop log: an X-learner chosen on seed 3 gave 3.13 against 3.25 pooled).
 */
export function simplestWithinOneSe<T extends Pick<ScoredCandidate, "learner" | "score" | "standardError">>(candidates: T[]): T {
  const best = candidates.reduce((top, candidate) => (candidate.score > top.score ? candidate : top))
  const floor = best.score - best.standardError
  const family = Math.min(...candidates.filter((candidate) => candidate.score >= floor).map((candidate) => candidate.learner.family))
  return candidates.filter((candidate) => candidate.learner.family === family).reduce((top, candidate) => (candidate.score > top.score ? candidate : top))
}

function meanOf(values: number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0
}

function standardError(values: number[]): number {
  if (values.length < 2) return 0
  const mean = meanOf(values)
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)
  return Math.sqrt(variance / values.length)
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback
}

/** A response ensemble's logloss on logged decisions (NaN-free: null when it cannot score them). */
function loglossOn(ensemble: TreeEnsemble, rows: ResponseExample[]): number | null {
  try {
    const proba = predictProba(ensemble, matrixFromRows(rows.map((row) => levelRow(row.features, row.discount_percent, ensemble.featureNames)), ensemble.featureNames))
    const value = logloss(rows.map((row) => row.converted), proba)
    return Number.isFinite(value) ? value : null
  } catch {
    return null
  }
}

/**
 * Arms are the logged levels; each row weighs 1 / its logged propensity (clipped), normalised to mean 1, and
 * carries that propensity (clipped) for the DR-learner.
 */
function upliftData(rows: ResponseExample[], columns: string[], levels: number[]): UpliftTrainData {
  const propensity = rows.map((row) => Math.max(MIN_PROPENSITY, row.propensity || 1))
  const inverse = propensity.map((p) => 1 / p)
  const mean = inverse.reduce((sum, value) => sum + value, 0) / rows.length
  return {
    x: matrixFromRows(rows.map((row) => vectorize(row.features, columns)), columns),
    arm: Int32Array.from(rows, (row) => levels.indexOf(row.discount_percent)),
    y: Float64Array.from(rows, (row) => row.converted),
    weight: Float64Array.from(inverse, (value) => value / mean),
    propensity: Float64Array.from(propensity),
  }
}

function levelRow(features: Record<string, number>, level: number, columns: string[]): number[] {
  return vectorize({ ...features, [LEVEL_FEATURE]: level }, columns)
}

/** The decision engine's view of a trained response model (TypeScript reference scorer: microseconds). */
export function responseModelFromEnsemble(ensemble: TreeEnsemble, version: string, columns: string[]): ResponseModel {
  return {
    version,
    predict(features, levels) {
      const rows = levels.map((level) => levelRow(features, level, columns))
      return Array.from(predictProba(ensemble, matrixFromRows(rows, columns)))
    },
  }
}
