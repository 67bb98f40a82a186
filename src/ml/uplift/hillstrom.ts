import type { CsvTable } from "../data/csv"
import { columnIndex } from "../data/csv"
import type { Matrix } from "../data/matrix"
import { makeMatrix } from "../data/matrix"

export const HILLSTROM_ARMS = ["No E-Mail", "Mens E-Mail", "Womens E-Mail"] as const

export const HILLSTROM_FEATURES = [
  "recency",
  "history_segment",
  "history",
  "mens",
  "womens",
  "zip_suburban",
  "zip_urban",
  "zip_rural",
  "newbie",
  "channel_phone",
  "channel_web",
  "channel_multichannel",
]

export interface HillstromData {
  x: Matrix
  /** Index into HILLSTROM_ARMS (0 = no e-mail). */
  arm: Int32Array
  visit: Float64Array
  conversion: Float64Array
  spend: Float64Array
}

export function hillstromFromTable(t: CsvTable): HillstromData {
  const c = (name: string) => columnIndex(t, name)
  const cols = {
    recency: c("recency"),
    segment: c("history_segment"),
    history: c("history"),
    mens: c("mens"),
    womens: c("womens"),
    zip: c("zip_code"),
    newbie: c("newbie"),
    channel: c("channel"),
    arm: c("segment"),
    visit: c("visit"),
    conversion: c("conversion"),
    spend: c("spend"),
  }
  const n = t.rows.length
  const x = makeMatrix(n, HILLSTROM_FEATURES)
  const data: HillstromData = { x, arm: new Int32Array(n), visit: new Float64Array(n), conversion: new Float64Array(n), spend: new Float64Array(n) }
  t.rows.forEach((r, i) => {
    const zip = r[cols.zip]
    const channel = r[cols.channel]
    x.data.set(
      [
        Number(r[cols.recency]),
        // "2) $100 - $200" -> 2: the segments are ordered spend bands.
        parseInt(r[cols.segment], 10),
        Number(r[cols.history]),
        Number(r[cols.mens]),
        Number(r[cols.womens]),
        zip === "Surburban" ? 1 : 0,
        zip === "Urban" ? 1 : 0,
        zip === "Rural" ? 1 : 0,
        Number(r[cols.newbie]),
        channel === "Phone" ? 1 : 0,
        channel === "Web" ? 1 : 0,
        channel === "Multichannel" ? 1 : 0,
      ],
      i * x.nCols
    )
    const arm = (HILLSTROM_ARMS as readonly string[]).indexOf(r[cols.arm])
    if (arm < 0) throw new Error(`unknown Hillstrom segment ${r[cols.arm]}`)
    data.arm[i] = arm
    data.visit[i] = Number(r[cols.visit])
    data.conversion[i] = Number(r[cols.conversion])
    data.spend[i] = Number(r[cols.spend])
  })
  return data
}

export function selectHillstrom(d: HillstromData, rows: ArrayLike<number>): HillstromData {
  const x = makeMatrix(rows.length, d.x.names)
  const out: HillstromData = {
    x,
    arm: new Int32Array(rows.length),
    visit: new Float64Array(rows.length),
    conversion: new Float64Array(rows.length),
    spend: new Float64Array(rows.length),
  }
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]
    x.data.set(d.x.data.subarray(i * d.x.nCols, (i + 1) * d.x.nCols), k * x.nCols)
    out.arm[k] = d.arm[i]
    out.visit[k] = d.visit[i]
    out.conversion[k] = d.conversion[i]
    out.spend[k] = d.spend[i]
  }
  return out
}
