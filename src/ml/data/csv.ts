import { readFileSync } from "fs"

export interface CsvTable {
  header: string[]
  rows: string[][]
}

/** Splits one CSV line, honouring double-quoted fields ("a,b" and "" escapes). */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(",")
  const out: string[] = []
  let field = ""
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ",") {
      out.push(field)
      field = ""
    } else field += c
  }
  out.push(field)
  return out
}

/** Parses CSV text with a header row. Quoted fields may not contain newlines (true for our data sets). */
export function parseCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0)
  if (lines.length === 0) return { header: [], rows: [] }
  const header = splitCsvLine(lines[0])
  const rows = new Array<string[]>(lines.length - 1)
  for (let i = 1; i < lines.length; i++) rows[i - 1] = splitCsvLine(lines[i])
  return { header, rows }
}

export function readCsv(path: string): CsvTable {
  return parseCsv(readFileSync(path, "utf8"))
}

/** Column accessor by name; throws on an unknown column so typos fail loudly. */
export function columnIndex(table: CsvTable, name: string): number {
  const i = table.header.indexOf(name)
  if (i < 0) throw new Error(`CSV has no column "${name}" (has ${table.header.join(", ")})`)
  return i
}

export function numericColumn(table: CsvTable, name: string): Float64Array {
  const j = columnIndex(table, name)
  const out = new Float64Array(table.rows.length)
  for (let i = 0; i < table.rows.length; i++) out[i] = Number(table.rows[i][j])
  return out
}

export function stringColumn(table: CsvTable, name: string): string[] {
  const j = columnIndex(table, name)
  return table.rows.map((r) => r[j])
}
