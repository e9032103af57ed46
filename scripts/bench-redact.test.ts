import { describe, expect, it } from "vitest";
import { evaluate, formatScore } from "./bench-redact.js";

describe("npm run bench:redact", () => {
  it("scores recall per type and collateral, and prints them", () => {
    const text = "Card 4111 1111 1111 1111 belongs to the client";
    const s = evaluate([{ id: "1", text, spans: [{ type: "CREDIT_CARD", value: "4111 1111 1111 1111", start: 5, end: 24 }] }]);
    expect(s.byType.CREDIT_CARD).toEqual({ total: 1, removed: 1, fullyRemoved: 1 });
    expect(s.collateral).toEqual({ words: 5, destroyed: 0 });
    const printed = formatScore(s, "t");
    expect(printed).toContain("CREDIT_CARD");
    expect(printed).toContain("collateral: 0 of 5 ordinary words destroyed (0.0%)");
  });
});
