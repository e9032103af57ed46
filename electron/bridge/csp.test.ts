import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, cspDirectives } from "./csp.js";

/** The policy both shells send: each hardening directive present with the exact value. */
describe("contentSecurityPolicy", () => {
  const directives = cspDirectives(contentSecurityPolicy());

  it.each([
    ["default-src", ["'self'"]],
    ["script-src", ["'self'"]],
    ["frame-src", ["'none'"]],
    ["child-src", ["'none'"]],
    ["worker-src", ["'none'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    ["form-action", ["'none'"]],
    ["frame-ancestors", ["'none'"]],
    ["require-trusted-types-for", ["'script'"]],
    ["trusted-types", ["'none'"]],
  ])("%s is %j", (name, value) => {
    expect(directives.get(name)).toEqual(value);
  });

  it("allows no inline or evaluated script and nothing remote", () => {
    const csp = contentSecurityPolicy();
    expect(csp).not.toMatch(/unsafe-eval|unsafe-hashes|strict-dynamic|wasm-unsafe-eval/);
    expect(directives.get("script-src")).not.toContain("'unsafe-inline'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it("adds only the given sockets to connect-src", () => {
    const browser = cspDirectives(contentSecurityPolicy({ connectSrc: ["ws://127.0.0.1:5000"] }));
    expect(browser.get("connect-src")).toEqual(["'self'", "ws://127.0.0.1:5000"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
  });

  it("names each directive once", () => {
    const names = contentSecurityPolicy().split(";").map((part) => part.trim().split(/\s+/)[0]);
    expect(new Set(names).size).toBe(names.length);
  });
});
