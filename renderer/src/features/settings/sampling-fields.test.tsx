import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { defaultConversationSettings, defaultSamplingSettings, type Conversation } from "../../api/contract.js";
import { ConversationSettingsPanel, parseDraft, toDraft } from "./ConversationSettingsPanel.js";

const sampling = { topP: 0.8, topK: 20, minP: 0.05, repeatPenalty: 1.3, seed: 42 };
const conversation: Conversation = {
  id: "c1",
  title: "Seeded",
  createdAt: 1,
  updatedAt: 1,
  settings: { ...defaultConversationSettings, modelId: null, sampling },
};

/** The value attribute of the input with this test id, from the rendered markup. */
function valueOf(html: string, testId: string): string | null {
  const input = new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0];
  return input ? (/value="([^"]*)"/.exec(input)?.[1] ?? null) : null;
}

describe("Chat settings: sampling", () => {
  it("shows the conversation's top-p, top-k, min-p, repeat penalty and seed", () => {
    const html = renderToStaticMarkup(<ConversationSettingsPanel conversation={conversation} />);
    expect(valueOf(html, "settings-top-p")).toBe("0.8");
    expect(valueOf(html, "settings-top-k")).toBe("20");
    expect(valueOf(html, "settings-min-p")).toBe("0.05");
    expect(valueOf(html, "settings-repeat-penalty")).toBe("1.3");
    expect(valueOf(html, "settings-seed")).toBe("42");
  });

  it("saves them with the other settings; an empty seed is a new one each answer; reset gives the defaults", () => {
    const draft = toDraft(conversation.settings);
    expect(parseDraft(draft)).toEqual({ ok: true, value: expect.objectContaining({ sampling }) });
    const unseeded = parseDraft({ ...draft, sampling: { ...draft.sampling, seed: " " } });
    expect(unseeded.ok && unseeded.value.sampling).toEqual({ ...sampling, seed: null });
    const reset = parseDraft(toDraft(defaultConversationSettings));
    expect(reset.ok && reset.value).toMatchObject({ sampling: defaultSamplingSettings, maxOutputTokens: 1024 });
  });

  it("names the field that is out of range or empty", () => {
    const draft = toDraft(conversation.settings);
    expect(parseDraft({ ...draft, sampling: { ...draft.sampling, topP: "1.5" } })).toMatchObject({ ok: false, message: expect.stringMatching(/^Top-p:/) });
    expect(parseDraft({ ...draft, sampling: { ...draft.sampling, topK: "" } })).toMatchObject({ ok: false, message: expect.stringMatching(/^Top-k:/) });
    expect(parseDraft({ ...draft, sampling: { ...draft.sampling, repeatPenalty: "0.5" } })).toMatchObject({ ok: false, message: expect.stringMatching(/^Repeat penalty:/) });
    expect(parseDraft({ ...draft, sampling: { ...draft.sampling, seed: "1.5" } })).toMatchObject({ ok: false, message: expect.stringMatching(/^Seed:/) });
  });
});
