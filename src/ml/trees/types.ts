/**
 * A trained tree ensemble as plain data: shared by the TypeScript trainer/scorer and the ONNX exporter.
 * A node sends a row left when `x[feature] <= threshold` (ONNX mode BRANCH_LEQ). Leaf values already
 * include the learning rate, so a raw score is `baseScore + sum of the reached leaves` (a logit for
 * binary logloss).
 */
export interface TreeNode {
  /** -1 on leaves. */
  feature: number
  threshold: number
  /** Indices into the same tree's `nodes`; -1 on leaves. */
  left: number
  right: number
  /** Leaf output (0 on inner nodes). */
  value: number
  /** Optional: sum of training hessians that reached the node (used for explanations; ignored by scorers). */
  cover?: number
}

export interface Tree {
  nodes: TreeNode[]
}

export interface TreeEnsemble {
  baseScore: number
  trees: Tree[]
  featureNames: string[]
  /** Optional: "logloss" (raw score is a logit, the default) or "squared" (raw score is the prediction). */
  objective?: "logloss" | "squared"
}
