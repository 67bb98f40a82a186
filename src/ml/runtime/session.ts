import * as ort from "onnxruntime-node"

export type ExecutionProvider = "cuda" | "cpu" | (string & {})

export interface SessionOptions {
  /** Tried in order as one list; when creation fails and cpu was not the only choice, retried with cpu. */
  providers?: ExecutionProvider[]
  intraOpNumThreads?: number
  interOpNumThreads?: number
}

/** An ONNX Runtime session plus the provider actually serving it. */
export interface LoadedSession {
  session: ort.InferenceSession
  provider: ExecutionProvider
  /** Why the preferred providers were not used, when the session fell back to cpu. */
  fallbackReason?: string
  inputNames: readonly string[]
  outputNames: readonly string[]
}

export const DEFAULT_PROVIDERS: ExecutionProvider[] = ["cuda", "cpu"]

/**
 * Loads a model from bytes. ORT throws at creation when a requested provider (e.g. CUDA without its
 * libraries) is unavailable rather than skipping it, so that failure is caught and retried on cpu.
 */
export async function loadSession(bytes: Uint8Array, options: SessionOptions = {}): Promise<LoadedSession> {
  const providers = options.providers ?? DEFAULT_PROVIDERS
  try {
    // Fatal-only logging: a missing CUDA library is expected here and answered by the cpu retry.
    const session = await ort.InferenceSession.create(bytes, { ...sessionOptions(providers, options), logSeverityLevel: 4 })
    return describe(session, providers[0] ?? "cpu")
  } catch (error) {
    if (providers.length === 1 && providers[0] === "cpu") throw error
    const session = await ort.InferenceSession.create(bytes, sessionOptions(["cpu"], options))
    return { ...describe(session, "cpu"), fallbackReason: errorMessage(error) }
  }
}

function sessionOptions(providers: ExecutionProvider[], o: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers as ort.InferenceSession.ExecutionProviderConfig[],
    intraOpNumThreads: o.intraOpNumThreads ?? 1,
    interOpNumThreads: o.interOpNumThreads ?? 1,
    graphOptimizationLevel: "all",
  }
}

function describe(session: ort.InferenceSession, provider: ExecutionProvider): LoadedSession {
  return { session, provider, inputNames: session.inputNames, outputNames: session.outputNames }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0] : String(e)
}
