/** Indices of the k largest scores, best first (ties keep the lower index). Skips indices in `skip`. */
export function topKIndices(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean): Int32Array {
  const idx = new Int32Array(k)
  const val = new Float64Array(k).fill(-Infinity)
  let filled = 0
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]
    if (filled === k && !(s > val[k - 1])) continue
    if (skip && skip(i)) continue
    let j = filled < k ? filled++ : k - 1
    while (j > 0 && val[j - 1] < s) {
      val[j] = val[j - 1]
      idx[j] = idx[j - 1]
      j--
    }
    val[j] = s
    idx[j] = i
  }
  return filled === k ? idx : idx.slice(0, filled)
}
