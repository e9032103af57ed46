import { describe, expect, it } from "vitest";
import { fieldsFromFilter, filterFromFields } from "./audit-filter-form.js";

describe("the audit filter form", () => {
  it("turns days into a range covering both whole local days, and back", () => {
    const filter = filterFromFields({ providerName: "Acme", outcome: "error", fromDay: "2026-03-01", toDay: "2026-03-02" });
    expect(filter).toEqual({
      providerName: "Acme",
      outcome: "error",
      from: new Date(2026, 2, 1).getTime(),
      to: new Date(2026, 2, 3).getTime() - 1,
    });
    expect(fieldsFromFilter(filter)).toEqual({ providerName: "Acme", outcome: "error", fromDay: "2026-03-01", toDay: "2026-03-02" });
  });

  it("leaves out empty and impossible fields", () => {
    expect(filterFromFields({ providerName: "", outcome: "", fromDay: "", toDay: "not a day" })).toEqual({});
    expect(fieldsFromFilter({})).toEqual({ providerName: "", outcome: "", fromDay: "", toDay: "" });
  });
});
