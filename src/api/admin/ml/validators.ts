import { z } from "@medusajs/framework/zod"

export const CreateTrainingRun = z.object({ model: z.enum(["propensity", "response", "fraud"]) }).strict()
export const ListModels = z
  .object({
    kind: z.enum(["propensity", "response", "fraud"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1e9).default(0),
  })
  .strict()
export type CreateTrainingRunBody = z.infer<typeof CreateTrainingRun>
