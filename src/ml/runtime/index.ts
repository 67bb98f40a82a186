export * from "./session"
export * from "./scorer"
