import { describe, expect, it } from "vitest";
import { bearerMatches, checkApiKeyShape, generateApiKey, maskApiKey } from "./api-key.js";

describe("API key", () => {
  it("is random, masked to its last 4 characters, and matched only as a bearer token", () => {
    const key = generateApiKey();
    expect(key).not.toBe(generateApiKey());
    expect(checkApiKeyShape(key)).toBeNull();
    expect(maskApiKey(key)).toMatch(new RegExp(`^•+${key.slice(-4)}$`));
    expect(bearerMatches(`Bearer ${key}`, key)).toBe(true);
    expect(bearerMatches(`bearer ${key}`, key)).toBe(true);
    expect(bearerMatches(key, key)).toBe(false);
    expect(bearerMatches(`Bearer ${key}x`, key)).toBe(false);
    expect(bearerMatches("Bearer ", key)).toBe(false);
    expect(bearerMatches(undefined, key)).toBe(false);
  });

  it("refuses weak keys set for a launch", () => {
    expect(checkApiKeyShape("short")).toMatch(/at least 16/);
    expect(checkApiKeyShape("has spaces in it ok")).toMatch(/printable/);
  });
});
