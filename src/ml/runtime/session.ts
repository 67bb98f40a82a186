import * as ort from "onnxruntime-node"
import { existsSync } from "fs"
import path from "path"

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
  const requested = options.providers ?? DEFAULT_PROVIDERS
  const providers = requested.filter(providerLibraryPresent)
  const skipped = requested.filter((provider) => !providers.includes(provider))
  if (!providers.length || (providers.length === 1 && providers[0] === "cpu" && skipped.length)) {
    const session = await ort.InferenceSession.create(bytes, sessionOptions(["cpu"], options))
    return { ...describe(session, "cpu"), fallbackReason: `${skipped.join(", ")} provider libraries are not installed (install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12)` }
  }
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

/** GPU providers ship as separate shared libraries; without them ORT only logs an error and throws. */
const GPU_PROVIDER_LIBRARIES: Record<string, string> = { cuda: "libonnxruntime_providers_cuda.so", tensorrt: "libonnxruntime_providers_tensorrt.so" }

function providerLibraryPresent(provider: ExecutionProvider): boolean {
  const library = GPU_PROVIDER_LIBRARIES[provider]
  if (!library || process.platform !== "linux") return true
  const directory = bindingDirectory()
  return directory === null || existsSync(path.join(directory, library))
}

/** Where onnxruntime-node keeps its native binding and provider libraries, or null when it cannot be found. */
function bindingDirectory(): string | null {
  try {
    return path.join(path.dirname(require.resolve("onnxruntime-node/package.json")), "bin", "napi-v6", process.platform, process.arch)
  } catch {
    return null
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
