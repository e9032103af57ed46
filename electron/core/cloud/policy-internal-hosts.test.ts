import { describe, expect, it } from "vitest";
import { formatInternalHost, internalHostProblem, isInternalHost, parseInternalHost } from "./policy-internal-hosts.js";

const canonical = (text: string) => {
  const rule = parseInternalHost(text);
  if (typeof rule === "string") throw new Error(rule);
  return formatInternalHost(rule);
};

describe("internalHosts rules", () => {
  it("accepts host names, IPs, ports and *.domain, written canonically", () => {
    expect(canonical("LLM.Corp.Example")).toBe("llm.corp.example");
    expect(canonical("llm.corp.example.:8000")).toBe("llm.corp.example:8000");
    expect(canonical("10.0.0.5:11434")).toBe("10.0.0.5:11434");
    expect(canonical("[FD00:0:0:0:0:0:0:5]:8080")).toBe("[fd00::5]:8080");
    expect(canonical("fd00::5")).toBe("[fd00::5]");
    expect(canonical("*.Corp.Example")).toBe("*.corp.example");
    expect(canonical("bücher.example")).toBe("xn--bcher-kva.example");
    expect(canonical(" localhost ")).toBe("localhost");
  });

  it.each([
    ["", "empty"],
    ["http://llm.corp.example", "a URL, not a host"],
    ["user@llm.corp.example", "userinfo"],
    ["llm.corp.example/v1", "a path"],
    ["llm.corp.example?x", "a query"],
    ["llm.corp.example#x", "a fragment"],
    ["%6cocalhost", "percent escapes"],
    ["llm corp", "a space"],
    ["llm.corp.example:0", "port 0"],
    ["llm.corp.example:65536", "port too large"],
    ["llm.corp.example:80a", "port not a number"],
    ["llm.corp.example:", "empty port"],
    ["a:b:c", "several colons, not IPv6"],
    ["[llm.corp.example]", "brackets around a name"],
    ["*", "bare wildcard"],
    ["*.", "wildcard on nothing"],
    ["llm.*.example", "wildcard in the middle"],
    ["*.10.0.0.5", "wildcard before an IP"],
    ["*.[::1]", "wildcard before IPv6"],
    ["*.com", "wildcard over a top-level domain"],
    ["*.localhost", "wildcard over a single label"],
    ["256.1.1.1", "invalid IPv4"],
    ["llm..corp", "empty label"],
    ["-llm.corp", "label starting with a hyphen"],
    ["llm.corp,other", "a list in one entry"],
  ])("refuses %j (%s) with a reason", (text) => {
    const problem = internalHostProblem(text);
    expect(problem).toMatch(/not a host name|port|only goes before/);
  });
});

describe("isInternalHost", () => {
  const rules = ["llm.corp.example", "ollama.corp.example:11434", "[fd00::5]:8080", "10.0.0.5", "*.gpu.corp.example"];

  it.each([
    "https://llm.corp.example/v1",
    "http://LLM.CORP.EXAMPLE:8000/v1",
    "https://llm.corp.example./v1",
    "http://ollama.corp.example:11434/v1",
    "http://[fd00:0000::5]:8080/v1",
    "http://10.0.0.5:9000/v1",
    "http://0x0a.0.0.5/v1",
    "https://a.gpu.corp.example/v1",
    "https://b.a.gpu.corp.example/v1",
  ])("matches %s", (url) => {
    expect(isInternalHost(rules, url)).toBe(true);
  });

  it.each([
    // Suffix and prefix tricks: another registrable domain that merely contains the name.
    ["https://llm.corp.example.attacker.net/v1", "a suffix after the name"],
    ["https://evilllm.corp.example/v1", "a prefix glued to the name"],
    ["https://x.llm.corp.example/v1", "a subdomain of an exact rule"],
    ["https://gpu.corp.example/v1", "the apex of a *. rule"],
    ["https://evilgpu.corp.example/v1", "a *. rule without the label boundary"],
    ["https://a.gpu.corp.example.attacker.net/v1", "a *. rule's name followed by another domain"],
    // userinfo: the host is what follows the last @.
    ["https://llm.corp.example@attacker.net/v1", "the name as userinfo"],
    ["https://llm.corp.example:x@attacker.net/v1", "the name and a password as userinfo"],
    // Ports.
    ["http://ollama.corp.example/v1", "the default port when a port is required"],
    ["http://ollama.corp.example:11435/v1", "another port"],
    ["http://[fd00::5]/v1", "IPv6 on the default port when a port is required"],
    ["http://[fd00::6]:8080/v1", "another IPv6 address"],
    // Look-alikes.
    ["https://llm.corp.exаmple/v1", "a Cyrillic а (punycode differs)"],
    ["https://llm.corp.example.../v1", "several trailing dots"],
    ["https://10.0.0.50/v1", "another IP with the rule as prefix"],
    ["https://10.0.0.5.nip.io/v1", "the IP as a name prefix"],
    ["ftp://llm.corp.example/", "not http(s)"],
    ["not a url", "not a URL"],
  ])("does not match %s (%s)", (url) => {
    expect(isInternalHost(rules, url)).toBe(false);
  });

  it("matches punycode and Unicode spellings of the same name both ways", () => {
    expect(isInternalHost(["bücher.example"], "https://xn--bcher-kva.example/v1")).toBe(true);
    expect(isInternalHost(["xn--bcher-kva.example"], "https://BÜCHER.example/v1")).toBe(true);
  });

  it("never matches without rules, and ignores rules that do not parse", () => {
    expect(isInternalHost(null, "https://llm.corp.example/")).toBe(false);
    expect(isInternalHost([], "https://llm.corp.example/")).toBe(false);
    expect(isInternalHost(["user@llm.corp.example", "*"], "https://llm.corp.example/")).toBe(false);
  });
});
