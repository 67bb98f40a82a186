import { Button, Label, Textarea, toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { apiPost, messageOf } from "../lib/client"
import type { FraudHold } from "../lib/types"

/** Release (capture may go ahead) or reject (the order is canceled) an open hold, with a note for the audit trail. */
export function HoldActions({ hold, onDone }: { hold: FraudHold; onDone?: (hold: FraudHold) => void }) {
  const [note, setNote] = useState("")
  const queryClient = useQueryClient()
  const prompt = usePrompt()
  const mutation = useMutation({
    mutationFn: (action: "release" | "reject") => apiPost<{ hold: FraudHold }>(`/admin/fraud/holds/${hold.id}/${action}`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: async ({ hold: updated }, action) => {
      toast.success(action === "release" ? "Hold released: the order can be captured and fulfilled" : "Order rejected and canceled")
      setNote("")
      await queryClient.invalidateQueries({ queryKey: ["uplift", "fraud"] })
      onDone?.(updated)
    },
    onError: (error) => toast.error(messageOf(error)),
  })

  if (hold.status !== "open") return null

  const reject = async () => {
    const confirmed = await prompt({
      title: "Reject this order?",
      description: "The order is canceled and its payment authorization voided. This cannot be undone.",
      confirmText: "Reject order",
      cancelText: "Keep on hold",
    })
    if (confirmed) mutation.mutate("reject")
  }

  return (
    <div className="flex flex-col gap-y-2" data-testid="hold-actions">
      <Label size="small" htmlFor={`hold-note-${hold.id}`}>
        Review note
      </Label>
      <Textarea
        id={`hold-note-${hold.id}`}
        name="note"
        placeholder="Why you release or reject it (kept in the audit trail)"
        value={note}
        maxLength={2000}
        onChange={(event) => setNote(event.target.value)}
      />
      <div className="flex items-center justify-end gap-x-2">
        <Button size="small" variant="danger" onClick={reject} isLoading={mutation.isPending && mutation.variables === "reject"} disabled={mutation.isPending}>
          Reject
        </Button>
        <Button size="small" variant="primary" onClick={() => mutation.mutate("release")} isLoading={mutation.isPending && mutation.variables === "release"} disabled={mutation.isPending}>
          Release
        </Button>
      </div>
    </div>
  )
}
