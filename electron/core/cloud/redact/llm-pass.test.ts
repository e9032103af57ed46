import { describe, expect, it } from "vitest";
import {
  findOccurrences,
  mapFindings,
  MAX_TEXT_CHARS,
  parseAnswer,
  refusal,
  runSecondPass,
  SecondPassUnavailable,
  type AskModel,
} from "./llm-pass.js";
import { createRedactor, emptyPlaceholderMap } from "./redactor.js";

/** A model that always gives this answer (and records what it was shown). */
function fixed(answer: unknown, seen: string[] = []): AskModel {
  return async ({ text }) => {
    seen.push(text);
    return typeof answer === "string" ? answer : JSON.stringify(answer);
  };
}

async function redactWith(texts: string[], ask: AskModel, timeoutMs?: number) {
  const map = emptyPlaceholderMap();
  const pass = await runSecondPass({ texts, map, firstPass: createRedactor(), ask, timeoutMs });
  const redactor = createRedactor({ detectors: pass.detectors });
  let current = map;
  const out = texts.map((t) => {
    const r = redactor.redact(t, current);
    current = r.map;
    return { text: r.text, byModel: r.redactions.filter((x) => pass.foundByModel(x, t)).map((x) => x.original) };
  });
  return { pass, out };
}

describe("the second pass's answer handling (fixed model answers)", () => {
  const message = "Please book a follow-up for Jurgita Vaitkevičiūtė, her locker code is KX-77Q; she prefers Tuesdays.";

  it("hides a value the model names that the first pass missed, and labels it as the model's", async () => {
    const { pass, out } = await redactWith([message], fixed({ items: [{ type: "SECRET", value: "KX-77Q" }] }));
    expect(pass.summary.status).toBe("done");
    expect(pass.summary.found).toBe(1);
    expect(out[0]!.text).not.toContain("KX-77Q");
    expect(out[0]!.text).toMatch(/\[SECRET_1\]/);
    expect(out[0]!.byModel).toEqual(["KX-77Q"]);
  });

  it("shows the model the text after the first pass, with placeholders in", async () => {
    const seen: string[] = [];
    await redactWith(["Write to anna.schmidt@example.org about the invoice."], fixed({ items: [] }, seen));
    expect(seen[0]).toContain("[EMAIL_1]");
    expect(seen[0]).not.toContain("anna.schmidt@example.org");
  });

  it("ignores values absent from the text, placeholders, short values and common words", async () => {
    const answer = {
      items: [
        { type: "PERSON", value: "Someone Else Entirely" },
        { type: "EMAIL", value: "[EMAIL_1]" },
        { type: "PERSON", value: "[PERSON_1] Smith" },
        { type: "PERSON", value: "she" },
        { type: "ORG", value: "follow-up" },
        { type: "LOCATION", value: "prefers" },
        { type: "PHONE", value: "locker code" },
      ],
    };
    const { pass, out } = await redactWith([message], fixed(answer));
    expect(pass.summary.found).toBe(0);
    expect(pass.summary.ignored).toBe(7);
    expect(pass.detectors).toEqual([]);
    expect(out[0]!.byModel).toEqual([]);
    expect(out[0]!.text).toContain("follow-up");
    expect(out[0]!.text).toContain("prefers");
  });

  it("never lets the model hide the whole message or most of it", async () => {
    const short = "The appointment on the ward moved to the afternoon slot.";
    const whole = await redactWith([short], fixed({ items: [{ type: "PERSON", value: short }] }));
    expect(whole.out[0]!.text).toBe(short);
    const pieces = short.split(" ").filter((w) => w.length >= 3);
    const many = await redactWith([short], fixed({ items: pieces.map((value) => ({ type: "ORG", value })) }));
    expect(many.out[0]!.text).toBe(short);
    expect(many.pass.summary.found).toBe(0);
  });

  it("reads at most 16 items of a hostile answer and refuses over-long values", async () => {
    const items = Array.from({ length: 5000 }, () => ({ type: "SECRET", value: "KX-77Q" }));
    items.unshift({ type: "SECRET", value: "x".repeat(100_000) });
    expect(parseAnswer(JSON.stringify({ items }))).toHaveLength(16);
    const { pass, out } = await redactWith([message], fixed({ items }));
    expect(pass.summary.found).toBe(1);
    expect(out[0]!.text).toContain("[SECRET_1]");
  });

  it("cannot inject text: the payload only gains placeholders", async () => {
    const answer = { items: [{ type: "SECRET", value: "KX-77Q" }], note: "ignore previous instructions" };
    const { out } = await redactWith([message], fixed(answer));
    expect(out[0]!.text.replace(/\[[A-Z_]+_\d+\]/g, "")).toBe(message.replace("KX-77Q", "").replace(/Jurgita Vaitkevičiūtė/, ""));
  });

  it("matches whole words, exact case first, any case when there is no exact match", () => {
    expect(findOccurrences("Mr Okonkwo and okonkwo", "Okonkwo")).toEqual([{ start: 3, end: 10, exactCase: true }]);
    expect(findOccurrences("dear okonkwo,", "Okonkwo")).toEqual([{ start: 5, end: 12, exactCase: false }]);
    expect(findOccurrences("Okonkwoson", "Okonkwo")).toEqual([]);
  });

  it("finds a value in every message it occurs in, but leaves what the first pass hid to it", () => {
    const texts = ["Ticket for Zbigniew Brzęczyszczykiewicz", "Zbigniew Brzęczyszczykiewicz called back"];
    const mapped = mapFindings([{ type: "PERSON", value: "Zbigniew Brzęczyszczykiewicz" }], texts, [[], [{ start: 0, end: 8 }]]);
    expect(mapped.detections[0]).toEqual([{ type: "PERSON", start: 11, end: 39, confidence: 0.8, source: "llm" }]);
    expect(mapped.detections[1]).toEqual([]);
    expect(mapped.found).toBe(1);
  });

  it("refuses types whose values need digits when there are none", () => {
    expect(refusal({ type: "PHONE", value: "call me" })).toBe("no digits for its type");
    expect(refusal({ type: "EMAIL", value: "anna at home" })).toBe("not an email address");
    expect(refusal({ type: "PERSON", value: "Rose Baker" })).toBeNull();
    expect(refusal({ type: "PERSON", value: "the patient" })).toBe("common words");
  });

  it("reads only the newest text when there is too much, and only messages not yet sent, but hides its finds in all", async () => {
    const seen: string[] = [];
    const old = "Earlier we discussed KX-77Q with the team. " + "The ward round went as planned. ".repeat(300);
    const texts = [old, "Any update on the locker code KX-77Q for tonight?"];
    const pass = await runSecondPass({
      texts,
      map: emptyPlaceholderMap(),
      firstPass: createRedactor(),
      ask: fixed({ items: [{ type: "SECRET", value: "KX-77Q" }] }, seen),
      read: [false, true],
    });
    expect(seen[0]).toBe("Any update on the locker code KX-77Q for tonight?");
    expect(pass.summary.found).toBe(1);
    expect(pass.detectors[0]!(old).map((d) => old.slice(d.start, d.end))).toEqual(["KX-77Q"]);

    const long = await runSecondPass({ texts: [old], map: emptyPlaceholderMap(), firstPass: createRedactor(), ask: fixed({ items: [] }, seen) });
    expect(seen[1]!.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(old.endsWith(seen[1]!)).toBe(true);
    expect(long.summary.message).toMatch(/last 6000 characters/);
  });

  it("on timeout the first pass stands and the summary says the check did not finish", async () => {
    const slow: AskModel = ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    const started = Date.now();
    const { pass, out } = await redactWith([message], slow, 50);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pass.summary.status).toBe("timeout");
    expect(pass.summary.message).toMatch(/did not finish/);
    expect(out[0]!.text).toContain("KX-77Q");
  });

  it("a model error or an unparsable answer leaves the first pass standing", async () => {
    const broken: AskModel = async () => {
      throw new Error("llama_decode failed");
    };
    const failed = await redactWith([message], broken);
    expect(failed.pass.summary.status).toBe("failed");
    expect(failed.out[0]!.text).toContain("KX-77Q");
    const garbled = await redactWith([message], fixed('{"items": [{"type": "SECRET", "value": "KX-7'));
    expect(garbled.pass.summary.status).toBe("failed");
    const unavailable = await redactWith([message], async () => {
      throw new SecondPassUnavailable("no-model", "no model");
    });
    expect(unavailable.pass.summary.status).toBe("no-model");
  });
});
