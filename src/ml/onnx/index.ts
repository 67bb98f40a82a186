export * from "./builder"
export * from "./exporters"
export * from "./reference"
export { DataType, OnnxSchema } from "./proto"
