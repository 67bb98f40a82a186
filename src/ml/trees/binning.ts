import type { Matrix } from "../data/matrix"

/**
 * Per-feature bin edges. A value x falls in bin b = number of edges < x, so `x <= edges[b]` exactly when
 * its bin is <= b; a split "bin <= b" is therefore the tree rule `x <= edges[b]`. Edges are observed
 * float32 values, so thresholds survive a float32 round trip (ONNX). NaN lands in the last bin (goes right).
 */
export interface BinMapper {
  edges: Float32Array[]
}

const MAX_SAMPLE = 200_000

function sortedFeatureSample(x: Matrix, f: number): Float32Array {
  const step = Math.max(1, Math.floor(x.nRows / MAX_SAMPLE))
  const vals: number[] = []
  for (let i = 0; i < x.nRows; i += step) {
    const v = x.data[i * x.nCols + f]
    if (!Number.isNaN(v)) vals.push(v)
  }
  return Float32Array.from(vals).sort()
}

function distinctValues(sorted: Float32Array): Float32Array {
  const out: number[] = []
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i])
  return Float32Array.from(out)
}

/** Edges for one feature: every distinct value if few, else quantile cut points (deduplicated). */
export function featureEdges(sorted: Float32Array, maxBins: number): Float32Array {
  const distinct = distinctValues(sorted)
  if (distinct.length <= maxBins) return distinct.slice(0, Math.max(0, distinct.length - 1))
  const edges: number[] = []
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / maxBins))]
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v)
  }
  // The largest value never needs an edge: everything is <= it.
  if (edges.length && edges[edges.length - 1] >= distinct[distinct.length - 1]) edges.pop()
  return Float32Array.from(edges)
}

export function fitBinMapper(x: Matrix, maxBins = 255): BinMapper {
  const edges: Float32Array[] = []
  for (let f = 0; f < x.nCols; f++) edges.push(featureEdges(sortedFeatureSample(x, f), Math.min(maxBins, 256)))
  return { edges }
}

export function binOf(edges: Float32Array, v: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (edges[mid] < v) lo = mid + 1
    else hi = mid
  }
  // NaN compares false everywhere, which would leave lo = 0; send it to the last bin instead.
  return v !== v ? edges.length : lo
}

/** Column-major binned matrix: bins[f * nRows + i]. */
export function applyBins(x: Matrix, mapper: BinMapper): Uint8Array {
  const out = new Uint8Array(x.nRows * x.nCols)
  for (let f = 0; f < x.nCols; f++) {
    const e = mapper.edges[f]
    const base = f * x.nRows
    for (let i = 0; i < x.nRows; i++) out[base + i] = binOf(e, x.data[i * x.nCols + f])
  }
  return out
}
