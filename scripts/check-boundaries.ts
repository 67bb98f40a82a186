/**
 * Architecture checks run by `npm test` (scripts/test.sh), before any test:
 *  1. no import cycle in src/ and scripts/ (type-only imports included: they tie files together too);
 *  2. a module (src/modules/<m>) imports only its own files, src/lib and src/ml: never another module's code,
 *     never the layers above it (workflows, API, subscribers) that reach other modules;
 *  3. a module's SQL names only its own tables (the tables its migrations create): another module's data
 *     is read through that module's service, called from a workflow, job or adapter outside the modules;
 *  4. src/lib and src/ml import nothing from the other layers (src/ml nothing from Medusa either);
 *  5. no state in a file's top level in src/ (tests aside): no module-level `let` or `var`, no module-level
 *     Map or Set that the file changes (a constant lookup table is fine), no module-level WeakMap or WeakSet,
 *     no object or array the file fills after import, no timer started on import. Caches and timers belong to
 *     a class that a module service holds (registered in the container), or to the caller.
 * Known violations are listed below with the branch that removes them; a listed one that no longer occurs
 * fails too, so the lists only shrink. `--json` prints one {"check","violation"} line per finding.
 */
import { existsSync, readdirSync, readFileSync } from "fs"
import path from "path"

type DependencyTree = Record<string, ReadonlyArray<{ id: string | null }> | null>
type Dpdm = {
  parseDependencyTree(entries: string[], options: Record<string, unknown>): Promise<DependencyTree>
  parseCircular(tree: DependencyTree): string[][]
}

/** dpdm (devDependency), required at run time: a checkout that has not installed it yet still typechecks. */
function dpdm(): Dpdm {
  try {
    return require("dpdm") as Dpdm
  } catch {
    throw new Error("check-boundaries needs the devDependency dpdm: run npm install (or npm ci)")
  }
}

const ROOT = path.resolve(__dirname, "..")
const SOURCES = ["src/**/*.ts", "src/**/*.tsx", "scripts/**/*.ts"]

/** Cycles (files joined by " -> ", as dpdm reports them) being broken on another branch. */
const KNOWN_CYCLES: Record<string, string> = {
}

/** "importer -> imported" or "file: table" findings being removed on another branch, or kept on purpose. */
const KNOWN_BOUNDARY_EXCEPTIONS: Record<string, string> = {
  // Public API: apps import assessCheckout from the fraud module; the orchestration lives in workflows.
  "src/modules/fraud/index.ts -> src/workflows/fraud/assess-checkout.ts": "public export kept for apps",
}

/** "file: module-level <kind> <name>" findings being removed on another branch, or kept on purpose. */
const KNOWN_MODULE_STATE: Record<string, string> = {}

type Finding = { check: "cycle" | "boundary" | "state"; violation: string }

async function main(): Promise<void> {
  const json = process.argv.includes("--json")
  const { parseCircular, parseDependencyTree } = dpdm()
  const parsed = await parseDependencyTree(SOURCES, { context: ROOT, transform: false, skipDynamicImports: false, onProgress: () => undefined })
  const problems = [
    ...compare("cycle", parseCircular(parsed).map((cycle) => cycle.map(rel).join(" -> ")), KNOWN_CYCLES),
    ...compare("boundary", [...importViolations(repoTree(parsed)), ...tableViolations()], KNOWN_BOUNDARY_EXCEPTIONS),
    ...compare("state", moduleStateViolations(), KNOWN_MODULE_STATE),
  ]
  for (const problem of problems) console.log(json ? JSON.stringify(problem) : `${problem.check}: ${problem.violation}`)
  if (!json) console.log(problems.length ? `check-boundaries: ${problems.length} problem(s)` : "check-boundaries: no import cycle, every module within its boundary, no state in a file's top level")
  process.exitCode = problems.length ? 1 : 0
}

/** New findings, and listed ones that are gone (so the list is kept exact). */
function compare(check: Finding["check"], found: string[], known: Record<string, string>): Finding[] {
  const seen = new Set(found)
  return [
    ...[...seen].filter((violation) => !(violation in known)).map((violation) => ({ check, violation })),
    ...Object.keys(known)
      .filter((violation) => !seen.has(violation))
      .map((violation) => ({ check, violation: `${violation} no longer occurs: remove it from the known list in scripts/check-boundaries.ts` })),
  ]
}

/** Each repository file and the repository files it imports (packages and Node's own modules left out). */
function repoTree(tree: DependencyTree): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [file, deps] of Object.entries(tree)) {
    if (!deps || !isRepoFile(file)) continue
    out[rel(file)] = deps.filter((dep) => dep.id && isRepoFile(dep.id)).map((dep) => rel(dep.id!))
  }
  return out
}

function importViolations(tree: Record<string, string[]>): string[] {
  return Object.entries(tree).flatMap(([file, deps]) => deps.filter((dep) => !mayImport(file, dep)).map((dep) => `${file} -> ${dep}`))
}

function mayImport(file: string, dep: string): boolean {
  const module = moduleOf(file)
  if (module) return moduleOf(dep) === module || under(dep, "src/lib") || under(dep, "src/ml") || under(dep, "src/types")
  if (under(file, "src/lib")) return under(dep, "src/lib") || under(dep, "src/types")
  if (under(file, "src/ml")) return under(dep, "src/ml")
  return true
}

/** Raw table names in a module's code that belong to another module. */
function tableViolations(): string[] {
  const owners = tableOwners()
  const out: string[] = []
  for (const module of new Set(owners.values())) {
    for (const file of filesUnder(`src/modules/${module}`).filter((f) => !f.includes("/migrations/"))) {
      const text = readFileSync(path.join(ROOT, file), "utf8")
      for (const table of new Set(text.match(/\buplift_[a-z0-9_]+\b/g) ?? [])) {
        const owner = owners.get(table)
        if (owner && owner !== module) out.push(`${file}: ${table}`)
      }
    }
  }
  return out
}

/**
 * State in a file's top level in src/ (declarations start a line: files are formatted, so a line that starts
 * with `let` is a top-level one). Tests are left out.
 */
function moduleStateViolations(): string[] {
  const out: string[] = []
  for (const file of filesUnder("src").filter((f) => !f.includes("/__tests__/") && !/\.spec\.tsx?$/.test(f))) {
    const text = readFileSync(path.join(ROOT, file), "utf8")
    const changes = (name: string, how: string) => new RegExp(`\\b${name.replace(/\$/g, "\\$")}${how}`).test(text)
    for (const line of text.split("\n")) {
      const variable = /^(?:export\s+)?(let|var)\s+([A-Za-z_$][\w$]*)/.exec(line)
      if (variable) out.push(`${file}: module-level ${variable[1]} ${variable[2]}`)
      const collection = /^(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*new\s+(Map|Set|WeakMap|WeakSet)\b/.exec(line)
      if (collection) {
        const [, name, kind] = collection
        if (kind.startsWith("Weak") || changes(name, "\\.(?:set|add|delete|clear)\\(")) out.push(`${file}: module-level ${kind} ${name}`)
      }
      const filled = /^(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(\{\s*\}|\[\s*\])/.exec(line)
      if (filled && changes(filled[1], "(?:\\[[^\\]]*\\]\\s*=[^=]|\\.(?:push|unshift|splice)\\()")) out.push(`${file}: module-level ${filled[2].startsWith("[") ? "array" : "object"} ${filled[1]}`)
      const timer = /^(?:void\s+)?(setInterval|setTimeout|setImmediate)\(/.exec(line)
      if (timer) out.push(`${file}: module-level ${timer[1]}`)
    }
  }
  return out
}

/** Each table and the module whose migrations create it. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>()
  for (const module of readdirSync(path.join(ROOT, "src/modules"))) {
    for (const file of filesUnder(`src/modules/${module}/migrations`)) {
      for (const [, table] of readFileSync(path.join(ROOT, file), "utf8").matchAll(/create table if not exists \\?"([a-z0-9_]+)\\?"/g)) owners.set(table, module)
    }
  }
  return owners
}

function filesUnder(dir: string): string[] {
  const abs = path.join(ROOT, dir)
  let entries: import("fs").Dirent[]
  try {
    entries = readdirSync(abs, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const child = `${dir}/${entry.name}`
    if (entry.isDirectory()) return filesUnder(child)
    return /\.tsx?$/.test(entry.name) ? [child] : []
  })
}

function moduleOf(file: string): string | null {
  return /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? null
}

function under(file: string, dir: string): boolean {
  return file.startsWith(`${dir}/`)
}

function isRepoFile(file: string): boolean {
  const relative = path.relative(ROOT, path.resolve(ROOT, file))
  return !relative.startsWith("..") && !relative.split(path.sep).includes("node_modules") && existsSync(path.join(ROOT, relative))
}

function rel(file: string): string {
  return path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join("/")
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
