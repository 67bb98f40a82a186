/** Serving-side public API: ONNX export, ONNX Runtime loading and model artifacts. */
export * from "./onnx"
export * from "./runtime"
export * from "./artifact"
