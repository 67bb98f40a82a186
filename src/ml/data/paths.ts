import * as path from "path"

/** Shared data folder: `../shared/data` next to the repo root, or `UPLIFT_DATA_DIR`. */
export function resolveDataDir(repoRoot: string): string {
  return process.env.UPLIFT_DATA_DIR || path.resolve(repoRoot, "../shared/data")
}
