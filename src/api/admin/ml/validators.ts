import { z } from "@medusajs/framework/zod"

const MODEL_KINDS = ["propensity", "response", "fraud", "recommender"] as const

export const CreateTrainingRun = z.object({ model: z.enum(MODEL_KINDS) }).strict()
export const ListModels = z
  .object({
    kind: z.enum(MODEL_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1e9).default(0),
  })
  .strict()
export type CreateTrainingRunBody = z.infer<typeof CreateTrainingRun>
