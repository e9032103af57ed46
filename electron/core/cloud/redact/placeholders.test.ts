import { describe, expect, it } from "vitest";
import { createStreamingRestorer, emptyPlaceholderMap, placeholderFor, restoreText } from "./placeholders.js";

describe("placeholders", () => {
  it("gives the same value the same placeholder and numbers each type on its own", () => {
    const map = emptyPlaceholderMap();
    expect(placeholderFor(map, "EMAIL", "a@b.com")).toBe("[EMAIL_1]");
    expect(placeholderFor(map, "PERSON", "Ana Ruiz")).toBe("[PERSON_1]");
    expect(placeholderFor(map, "EMAIL", "c@d.com")).toBe("[EMAIL_2]");
    expect(placeholderFor(map, "EMAIL", "a@b.com")).toBe("[EMAIL_1]");
    expect(placeholderFor(map, "PERSON", "Ana\n  Ruiz")).toBe("[PERSON_2]"); // restored verbatim, so kept apart
    expect(JSON.parse(JSON.stringify(map))).toEqual(map);
  });

  it("restores known placeholders and leaves invented ones", () => {
    const map = emptyPlaceholderMap();
    placeholderFor(map, "PERSON", "Ana Ruiz");
    expect(restoreText("Dear [PERSON_1], re [PERSON_7].", map)).toBe("Dear Ana Ruiz, re [PERSON_7].");
  });

  it("restores placeholders split across streamed chunks at every possible cut", () => {
    const map = emptyPlaceholderMap();
    placeholderFor(map, "PERSON", "Ana Ruiz");
    placeholderFor(map, "EMAIL", "ana@ruiz.es");
    const answer = "Write to [PERSON_1] at [EMAIL_1] [or] [x]; arrays like a[0] stay.";
    const expected = "Write to Ana Ruiz at ana@ruiz.es [or] [x]; arrays like a[0] stay.";
    for (let cut = 0; cut <= answer.length; cut++) {
      for (let cut2 = cut; cut2 <= answer.length; cut2 += 3) {
        const r = createStreamingRestorer(map);
        const out = r.push(answer.slice(0, cut)) + r.push(answer.slice(cut, cut2)) + r.push(answer.slice(cut2)) + r.flush();
        expect(out, `cuts at ${cut}, ${cut2}`).toBe(expected);
      }
    }
  });

  it("streams one character at a time and holds back no more than a possible placeholder", () => {
    const map = emptyPlaceholderMap();
    placeholderFor(map, "CARD", "4111 1111 1111 1111");
    const r = createStreamingRestorer(map);
    let out = "";
    for (const ch of "card [CARD_1] ok") out += r.push(ch);
    expect(out).toBe("card 4111 1111 1111 1111 ok");
    expect(r.push("tail [CA")).toBe("tail ");
    expect(r.flush()).toBe("[CA");
  });
});
