import { describe, expect, it } from "vitest";
import { isSafeExternalUrl, safeExternalUrl } from "./links.js";

describe("safeExternalUrl", () => {
  it.each([
    ["https://example.com/docs?q=1#part", "https://example.com/docs?q=1#part"],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.COM/a", "https://example.com/a"],
    ["https://例え.jp/", "https://xn--r8jz45g.jp/"],
    ["https://127.0.0.1:8080/x", "https://127.0.0.1:8080/x"],
  ])("opens %s as %s", (raw, normalized) => {
    expect(safeExternalUrl(raw)).toBe(normalized);
    expect(isSafeExternalUrl(raw)).toBe(true);
  });

  it.each([
    ["file:///etc/passwd"],
    ["javascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["smb://attacker/share"],
    ["ms-msdt:/id PCWDiagnostic"],
    ["vscode://file/x"],
    ["ftp://example.com/"],
    ["mailto:someone@example.com"],
    ["https://user:pass@example.com/"],
    ["https://user@example.com/"],
    ["https://example.com@evil.example/"],
    ["//example.com/"],
    ["example.com"],
    [""],
    ["https://exa mple.com/"],
    ["https://example.com/\n"],
    ["\thttps://example.com/"],
    ["java\tscript:alert(1)"],
    ["https://example.com/" + "a".repeat(5000)],
    ["https://"],
  ])("refuses %j", (raw) => {
    expect(safeExternalUrl(raw)).toBeNull();
    expect(isSafeExternalUrl(raw)).toBe(false);
  });

  it("refuses values that are not strings at runtime", () => {
    expect(isSafeExternalUrl(42 as unknown as string)).toBe(false);
    expect(isSafeExternalUrl(null as unknown as string)).toBe(false);
  });
});
