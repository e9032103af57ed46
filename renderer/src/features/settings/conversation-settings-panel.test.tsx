import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { defaultConversationSettings, type Conversation } from "../../api/contract.js";
import { ConversationSettingsPanel, parseDraft, toDraft } from "./ConversationSettingsPanel.js";

const conversation = (contextOverflow: "drop-oldest" | "stop-and-ask"): Conversation => ({
  id: "c1",
  title: "Long chat",
  createdAt: 1,
  updatedAt: 1,
  settings: { ...defaultConversationSettings, modelId: null, contextOverflow },
});

/** The option of the overflow choice that is checked, from the rendered markup. */
function checked(html: string): string | null {
  const inputs = html.match(/<input type="radio"[^>]*>/g) ?? [];
  const on = inputs.filter((input) => input.includes('checked=""'));
  return on.length === 1 ? (/data-testid="settings-context-overflow-([a-z-]+)"/.exec(on[0]!)?.[1] ?? null) : null;
}

describe("Chat settings: when the conversation is longer than the model's memory", () => {
  it("offers dropping the oldest messages or stopping to ask, with the conversation's choice selected and explained", () => {
    const dropping = renderToStaticMarkup(<ConversationSettingsPanel conversation={conversation("drop-oldest")} />);
    expect(dropping).toContain("When the conversation is longer than the model&#x27;s memory");
    expect(dropping).toContain("Drop the oldest messages");
    expect(dropping).toContain("Stop and ask me");
    expect(checked(dropping)).toBe("drop-oldest");
    expect(dropping).toContain("The model forgets the oldest messages to make room");

    const asking = renderToStaticMarkup(<ConversationSettingsPanel conversation={conversation("stop-and-ask")} />);
    expect(checked(asking)).toBe("stop-and-ask");
    expect(asking).toContain("The answer stops and asks you before the model forgets anything.");
  });

  it("saves the choice with the other settings, and resets it to dropping the oldest", () => {
    const draft = toDraft(conversation("stop-and-ask").settings);
    expect(parseDraft(draft)).toEqual({ ok: true, value: expect.objectContaining({ contextOverflow: "stop-and-ask", contextSize: 4096 }) });
    expect(toDraft({ ...defaultConversationSettings }).contextOverflow).toBe("drop-oldest");
    expect(parseDraft({ ...draft, contextOverflow: "forget-everything" as never })).toMatchObject({ ok: false, message: expect.stringMatching(/^Full context:/) });
  });
});
