// `npx ts-node --transpile-only scripts/tune-recs.ts '[{}, {"folds":4}]'`
// Tunes hybrid options on a validation split made INSIDE the protocol's train rows (never the test baskets).
import { loadPurchases, loadProducts } from "../src/ml/eval/completejourney-data"
import * as path from "path"
import { resolveDataDir } from "../src/ml/data/paths"
import { holdOutLastBaskets } from "../src/ml/recs/dataset"
import { train, topN } from "../src/ml/recs/hybrid"
import { hr_at_k, ndcg_at_k } from "../src/ml/metrics/ranking"
const dataDir = resolveDataDir(path.resolve(__dirname, ".."))
const inter = loadPurchases(dataDir).map((p) => ({ user: p.household, item: p.product, time: p.time, basket: p.basket, quantity: p.quantity, value: p.salesValue }))
const content = loadProducts(dataDir).map((p) => ({ item: p.product, department: p.department, category: p.category, brand: p.brand }))
const protocolTrain = holdOutLastBaskets(inter).train
const val = holdOutLastBaskets(protocolTrain)
const hh = [...val.heldOut.keys()]
const configs: any[] = JSON.parse(process.argv[2])
for (const c of configs) {
  const t0 = Date.now()
  const res = [42, 1].map((seed) => {
    const m = train(val.train, content, { ...c, seed })
    const ids = new Map<string, number>(); const id = (x: string) => { let v = ids.get(x); if (v === undefined) ids.set(x, (v = ids.size)); return v }
    const ranked = hh.map((h) => topN(m, h, 10).map((r) => id(r.item)))
    const rel = hh.map((h) => new Set([...val.heldOut.get(h)!].map(id)))
    return [hr_at_k(ranked, rel, 10), ndcg_at_k(ranked, rel, 10)]
  })
  console.log(JSON.stringify(c), "val hr", ((res[0][0] + res[1][0]) / 2).toFixed(4), "ndcg", ((res[0][1] + res[1][1]) / 2).toFixed(4), (Date.now() - t0) / 1000 + "s")
}
