import { useEffect, useState } from "react";
import type { ContextMeterInfo } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { lastMessageOf } from "../../state/selectors.js";
import { useHearth, type HearthState } from "../../state/store.js";
import { contextNotice } from "./context-cut.js";

/** "850", "1.2k", "4k": thousands as in context sizes (4096 is "4k"). */
export function formatTokenCount(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  return `${(tokens / 1024).toFixed(1).replace(/\.0$/, "")}k`;
}

/** The meter, or null: it is a hint, so a failure (no model, its file gone, the link down) shows nothing, no error. */
export async function fetchContextMeter(conversationId: string): Promise<ContextMeterInfo | null> {
  try {
    return (await getApi().getContextMeter({ conversationId })).meter;
  } catch {
    return null;
  }
}

const levelHelp: Record<ContextMeterInfo["level"], string> = {
  ok: "How much of the model's context this conversation uses.",
  "near-limit": "Nearly full: soon the oldest messages will no longer be in the model's memory.",
  full: "Full: the oldest messages are no longer in the model's memory.",
};

export function ContextMeterView({ meter }: { meter: ContextMeterInfo }) {
  const help = meter.level === "full" && meter.droppedCount > 0 ? contextNotice(meter.droppedCount) : levelHelp[meter.level];
  return (
    <span
      className={`context-meter context-meter-${meter.level}`}
      role="meter"
      aria-label="Context used"
      aria-valuemin={0}
      aria-valuemax={meter.contextSize}
      aria-valuenow={Math.min(meter.usedTokens, meter.contextSize)}
      title={help}
      data-testid="context-meter"
      data-level={meter.level}
    >
      {formatTokenCount(meter.usedTokens)} / {formatTokenCount(meter.contextSize)} tokens
    </span>
  );
}

/** What the meter depends on: the branch's last settled message and the settings that change the count. */
function meterKey(conversationId: string) {
  return (state: HearthState): string | null => {
    const last = lastMessageOf(state, conversationId);
    if (last?.status === "streaming") return null;
    const settings = state.conversations[conversationId]?.settings;
    return [last?.id ?? "", last?.status ?? "", settings?.modelId ?? "", settings?.contextSize, settings?.maxOutputTokens, settings?.systemPrompt].join("\u0000");
  };
}

/** The header's context meter: measured when the conversation opens and after each answer (not while one streams). */
export function ContextMeter({ conversationId }: { conversationId: string }) {
  const key = useHearth(meterKey(conversationId));
  const [meter, setMeter] = useState<{ conversationId: string; value: ContextMeterInfo } | null>(null);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    void fetchContextMeter(conversationId).then((value) => {
      if (live) setMeter(value ? { conversationId, value } : null);
    });
    return () => {
      live = false;
    };
  }, [conversationId, key]);
  // Another conversation's figures are never shown while this one's are fetched.
  if (!meter || meter.conversationId !== conversationId) return null;
  return <ContextMeterView meter={meter.value} />;
}
