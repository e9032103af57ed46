import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRedactor, createStreamingRestorer, emptyPlaceholderMap } from "./redactor.js";

type Fixture = { id: string; text: string; pii: string[]; keep: string[]; customTerms?: string[] };
const corpus = JSON.parse(
  readFileSync(new URL("../../../../test/fixtures/pii-messages.json", import.meta.url), "utf8"),
) as { messages: Fixture[] };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Does `value` still stand in `text` as a whole (not as part of a longer word or number)? */
const survives = (text: string, value: string): boolean =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escape(value)}(?![\\p{L}\\p{N}])`, "u").test(text);

describe("redactor", () => {
  it("replaces values with stable placeholders and restores the originals", () => {
    const redactor = createRedactor();
    const first = redactor.redact("Email ana@ruiz.es or call +41 (0)38 549 02 90.", emptyPlaceholderMap());
    expect(first.text).toBe("Email [EMAIL_1] or call [PHONE_1].");
    expect(first.redactions.map((r) => [r.type, r.original, r.placeholder])).toEqual([
      ["EMAIL", "ana@ruiz.es", "[EMAIL_1]"],
      ["PHONE", "+41 (0)38 549 02 90", "[PHONE_1]"],
    ]);
    const second = redactor.redact("Again: ana@ruiz.es, and bo@x.org", first.map);
    expect(second.text).toBe("Again: [EMAIL_1], and [EMAIL_2]");
    expect(redactor.restore("Sent to [EMAIL_2] and [EMAIL_1].", second.map)).toBe("Sent to bo@x.org and ana@ruiz.es.");
  });

  it("does not change the map it was given", () => {
    const map = emptyPlaceholderMap();
    createRedactor().redact("ana@ruiz.es", map);
    expect(map).toEqual(emptyPlaceholderMap());
  });

  it("keeps redacting a name the conversation already redacted, even where nothing else marks it", () => {
    const redactor = createRedactor();
    const first = redactor.redact("My client is Mr. Jonathan Reeves.", emptyPlaceholderMap());
    expect(first.text).toBe("My client is Mr. [PERSON_1].");
    const later = redactor.redact("what should jonathan do? Jonathan Reeves says no.", first.map);
    expect(later.text).toContain("[PERSON_1] says no");
  });

  it("redacts custom terms case-insensitively as whole words only", () => {
    const redactor = createRedactor({ customTerms: ["Bluebird", "Acme Corp"] });
    const out = redactor.redact("BLUEBIRD and bluebird, not Bluebirds; ACME corp signs.", emptyPlaceholderMap());
    expect(out.text).toBe("[CUSTOM_1] and [CUSTOM_2], not Bluebirds; [CUSTOM_3] signs.");
    expect(redactor.restore(out.text, out.map)).toBe("BLUEBIRD and bluebird, not Bluebirds; ACME corp signs.");
  });

  it("lets chosen types through and takes extra detectors (the hook for the local model)", () => {
    const redactor = createRedactor({
      keep: ["AGE"],
      detectors: [(text) => [{ type: "ORG", start: text.indexOf("Zeta"), end: text.indexOf("Zeta") + 4 }]],
    });
    expect(redactor.redact("a 67-year-old at zeta or Zeta", emptyPlaceholderMap()).text).toBe("a 67-year-old at zeta or [ORG_1]");
  });

  it("restores a streamed answer through the exported streaming restorer", () => {
    const { map } = createRedactor().redact("ana@ruiz.es", emptyPlaceholderMap());
    const r = createStreamingRestorer(map);
    expect(r.push("Reply to [EMA") + r.push("IL_1] soon") + r.flush()).toBe("Reply to ana@ruiz.es soon");
  });

  describe("fixture corpus of realistic clinic, law and finance messages", () => {
    for (const m of corpus.messages) {
      it(`${m.id}: no listed value survives, the ordinary words do, and restore gives the original back`, () => {
        const redactor = createRedactor({ customTerms: m.customTerms ?? [] });
        const out = redactor.redact(m.text, emptyPlaceholderMap());
        expect(m.pii.filter((v) => survives(out.text, v)), out.text).toEqual([]);
        expect(m.keep.filter((w) => !out.text.includes(w)), out.text).toEqual([]);
        expect(redactor.restore(out.text, out.map)).toBe(m.text);
      });
    }
  });
});
