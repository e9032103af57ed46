import { describe, expect, it } from "vitest";
import { auditDestinationLabel, destinationPhrase } from "./destination-label.js";

describe("destination labels", () => {
  it("words the core's decision, and nothing when there is none", () => {
    expect(destinationPhrase(true)).toBe("your organisation's server");
    expect(destinationPhrase(false)).toBe("the cloud");
    expect(destinationPhrase(undefined)).toBe("the cloud");
    expect(auditDestinationLabel({ destination: "organisation" })).toBe("Your organisation's server");
    expect(auditDestinationLabel({ destination: "cloud" })).toBe("The cloud");
    expect(auditDestinationLabel({})).toBeNull();
  });
});
