export { median } from "../../src/ml/metrics/paired-ratio"
