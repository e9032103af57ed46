import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { EscalationProposal } from "../../api/contract.js";
import { RedactionMark } from "./RedactionMark.js";
import { splitRedactions } from "./redaction-segments.js";
import { SecondPassNote } from "./SecondPassNote.js";

const text = (markup: string) => markup.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&#x27;/g, "'");
const content = "Reset locker [SECRET_1] for [PERSON_1] tonight.";
const base: EscalationProposal = {
  id: "p1",
  conversationId: "c1",
  userMessageId: "u1",
  providerId: "prov",
  providerName: "Acme",
  model: "acme-large",
  payload: [{ role: "user", content }],
  redactions: [
    { type: "SECRET", placeholder: "[SECRET_1]", original: "KX-77Q", messageIndex: 0, start: 13, end: 23, foundByLocalModel: true },
    { type: "PERSON", placeholder: "[PERSON_1]", original: "Dana Whitfield", messageIndex: 0, start: 28, end: 38 },
  ],
  requestBody: JSON.stringify({ messages: [{ role: "user", content }] }),
  bytes: 10,
  router: null,
  createdAt: 1,
};

describe("the preview's second-check note", () => {
  it("lists what the local model found, labelled, and only that", () => {
    const html = renderToStaticMarkup(<SecondPassNote proposal={{ ...base, secondPass: { status: "done", found: 1, ms: 900, message: "The local model's second check found 1 more value to hide." } }} />);
    expect(text(html)).toContain("found 1 more value to hide");
    expect(text(html)).toContain("[SECRET_1]");
    expect(text(html)).toContain("found by the local model");
    expect(text(html)).not.toContain("[PERSON_1]");
  });

  it("says when the check did not finish, and shows nothing while the setting is off", () => {
    const message = "The local model's second check did not finish within 20 s; only the first pass hid values.";
    const html = renderToStaticMarkup(<SecondPassNote proposal={{ ...base, redactions: [], secondPass: { status: "timeout", found: 0, ms: 20000, message } }} />);
    expect(text(html)).toContain(message);
    expect(html).toContain('data-status="timeout"');
    expect(renderToStaticMarkup(<SecondPassNote proposal={base} />)).toBe("");
  });

  it("marks the model's finds in the payload", () => {
    const marks = splitRedactions(content, 0, base.redactions).filter((s) => s.kind === "redaction");
    expect(marks.map((m) => [m.placeholder, m.kind === "redaction" && m.foundByLocalModel === true])).toEqual([
      ["[SECRET_1]", true],
      ["[PERSON_1]", false],
    ]);
    const html = renderToStaticMarkup(<RedactionMark mark={marks[0] as Extract<(typeof marks)[number], { kind: "redaction" }>} />);
    expect(html).toContain('data-found-by-model="true"');
    expect(html).toContain("found by the local model");
  });
});
