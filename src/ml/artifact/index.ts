export * from "./artifact"
export * from "./slot"
