import { toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { apiPost, messageOf } from "../lib/client"
import type { DiscountPolicy, PolicyStatus } from "../lib/types"

const DONE: Record<PolicyStatus, string> = { active: "is active", paused: "is paused", shadow: "runs in shadow", draft: "is a draft" }

/** Pause, resume or shadow a policy (a partial update of its status); pausing asks first. */
export function usePolicyStatusAction(policy: DiscountPolicy) {
  const queryClient = useQueryClient()
  const prompt = usePrompt()
  const mutation = useMutation({
    mutationFn: (status: PolicyStatus) => apiPost<{ discount_policy: DiscountPolicy }>(`/admin/discount-policies/${policy.id}`, { status }),
    onSuccess: async ({ discount_policy }) => {
      toast.success(`"${discount_policy.name}" ${DONE[discount_policy.status]}`)
      await queryClient.invalidateQueries({ queryKey: ["uplift", "policies"] })
    },
    onError: (error) => toast.error(messageOf(error)),
  })
  return async (status: PolicyStatus) => {
    if (status === "paused") {
      const confirmed = await prompt({
        title: `Pause "${policy.name}"?`,
        description: "Its open offers are revoked and taken off carts at once. Resume it any time.",
        confirmText: "Pause",
        cancelText: "Cancel",
      })
      if (!confirmed) return
    }
    mutation.mutate(status)
  }
}
