// `nice npx ts-node --transpile-only scripts/tune-recs.ts '[{}, {"ranker":"logistic"}, {"gbdt":{"rounds":300}}]'`
// Tunes hybrid options on validation splits made INSIDE the protocol's train rows (never the test baskets):
// validation fold 1 holds out each household's last train basket, fold 2 the one before, ... (VAL_FOLDS,
// default 2), each scored with the seeds in SEEDS (default 42,1). Configs that differ only in re-ranker
// settings (ranker, gbdt, rankerL2) share the candidate folds and base model of one prepareTraining call.
import { loadPurchases, loadProducts } from "../src/demo/completejourney"
import * as path from "path"
import { resolveDataDir } from "../src/ml/data/paths"
import { holdOutLastBaskets } from "../src/ml/recs/dataset"
import { finishTraining, prepareTraining, topN } from "../src/ml/recs/hybrid"
import { hr_at_k, ndcg_at_k } from "../src/ml/metrics/ranking"
import { Interaction, TrainOptions } from "../src/ml/recs/types"

const dataDir = resolveDataDir(path.resolve(__dirname, ".."))
const inter: Interaction[] = loadPurchases(dataDir).map((p) => ({ user: p.household, item: p.product, time: p.time, basket: p.basket, quantity: p.quantity, value: p.salesValue }))
const content = loadProducts(dataDir).map((p) => ({ item: p.product, department: p.department, category: p.category, brand: p.brand }))
const protocolTrain = holdOutLastBaskets(inter).train
const valFolds = Number(process.env.VAL_FOLDS ?? 2)
const seeds = (process.env.SEEDS ?? "42,1").split(",").map(Number)
const configs: TrainOptions[] = JSON.parse(process.argv[2] ?? "[{}]")

const RANKER_KEYS = ["ranker", "gbdt", "rankerL2"] as const
const split = (c: TrainOptions) => {
  const data: Record<string, unknown> = { ...c }
  const ranker: Record<string, unknown> = {}
  for (const k of RANKER_KEYS) if (k in data) ((ranker[k] = data[k]), delete data[k])
  return { data: data as TrainOptions, ranker: ranker as Pick<TrainOptions, (typeof RANKER_KEYS)[number]> }
}
const groups = new Map<string, number[]>()
configs.forEach((c, k) => {
  const key = JSON.stringify(split(c).data)
  groups.set(key, [...(groups.get(key) ?? []), k])
})

// results[config] = list of { hits, users, ndcgSum } over (val fold, seed)
const results: { hits: number; users: number; ndcg: number }[][] = configs.map(() => [])
async function main(): Promise<void> {
  let rest = protocolTrain
  for (let fold = 1; fold <= valFolds; fold++) {
    const val = holdOutLastBaskets(rest)
    rest = val.train
    const hh = [...val.heldOut.keys()]
    for (const seed of seeds) {
      for (const [key, members] of groups) {
        const t0 = Date.now()
        const prep = await prepareTraining(val.train, content, { ...JSON.parse(key), seed })
        const tPrep = (Date.now() - t0) / 1000
        for (const k of members) {
          const t1 = Date.now()
          const m = finishTraining(prep, split(configs[k]).ranker)
          const ids = new Map<string, number>()
          const id = (x: string) => { let v = ids.get(x); if (v === undefined) ids.set(x, (v = ids.size)); return v }
          const ranked = hh.map((h) => topN(m, h, 10).map((r) => id(r.item)))
          const rel = hh.map((h) => new Set([...val.heldOut.get(h)!].map(id)))
          const hr = hr_at_k(ranked, rel, 10)
          const ndcg = ndcg_at_k(ranked, rel, 10)
          results[k].push({ hits: Math.round(hr * hh.length), users: hh.length, ndcg: ndcg * hh.length })
          console.error(`fold ${fold} seed ${seed} ${JSON.stringify(configs[k])} hr ${hr.toFixed(4)} ndcg ${ndcg.toFixed(4)} (prep ${tPrep}s, ranker+score ${(Date.now() - t1) / 1000}s)`)
        }
      }
    }
  }
  for (let k = 0; k < configs.length; k++) {
    const r = results[k]
    const users = r.reduce((a, b) => a + b.users, 0)
    const hits = r.reduce((a, b) => a + b.hits, 0)
    const ndcg = r.reduce((a, b) => a + b.ndcg, 0)
    console.log(JSON.stringify(configs[k]), `val hr ${(hits / users).toFixed(4)} (${hits} hits/${users})`, `ndcg ${(ndcg / users).toFixed(4)}`, `per fold x seed: ${r.map((x) => x.hits).join(" ")}`)
  }
}

void main()
