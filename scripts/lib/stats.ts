export { median } from "../../src/ml/metrics/median"
