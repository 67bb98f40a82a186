/** A dense row-major feature matrix. */
export interface Matrix {
  data: Float32Array
  nRows: number
  nCols: number
  names: string[]
}

export function makeMatrix(nRows: number, names: string[]): Matrix {
  return { data: new Float32Array(nRows * names.length), nRows, nCols: names.length, names }
}

export function matrixFromRows(rows: number[][], names: string[]): Matrix {
  const m = makeMatrix(rows.length, names)
  rows.forEach((r, i) => m.data.set(r, i * names.length))
  return m
}

export function selectRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = makeMatrix(rows.length, m.names)
  for (let i = 0; i < rows.length; i++) {
    const s = rows[i] * m.nCols
    out.data.set(m.data.subarray(s, s + m.nCols), i * m.nCols)
  }
  return out
}

export function rowOf(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.nCols, (i + 1) * m.nCols)
}

/** Appends constant columns (e.g. a treatment indicator) to every row. */
export function withExtraColumns(m: Matrix, names: string[], values: (row: number) => number[]): Matrix {
  const out = makeMatrix(m.nRows, [...m.names, ...names])
  for (let i = 0; i < m.nRows; i++) {
    out.data.set(rowOf(m, i), i * out.nCols)
    out.data.set(values(i), i * out.nCols + m.nCols)
  }
  return out
}
