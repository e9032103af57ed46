import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { policySchema } from "../../contract/index.js";
import { defaultPolicyFile, emptyPolicy, hostAllowed, loadPolicy, readPolicy } from "./policy.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "hearth-policy-"));
const write = (content: string) => {
  const file = path.join(tmp(), "policy.json");
  fs.writeFileSync(file, content);
  return file;
};

describe("loadPolicy", () => {
  it("is empty when there is no policy file", () => {
    const file = path.join(tmp(), "missing.json");
    expect(loadPolicy({ file })).toEqual(emptyPolicy);
    expect(readPolicy({ file }).problem).toBeNull();
  });

  it("reads a valid policy and its locks", () => {
    const file = write(
      JSON.stringify({
        lockedPrivacyMode: "ask",
        allowedProviderKinds: ["openai-compatible", "anthropic", "anthropic"],
        allowedProviderHosts: ["LLM.Internal.example.org", "*.openai.azure.com", "127.0.0.1:8000"],
        huggingFaceEndpoint: "https://hf-mirror.example.org",
        requireDatabaseEncryption: true,
      }),
    );
    const policy = loadPolicy({ file });
    expect(policySchema.parse(policy)).toEqual(policy);
    expect(policy).toEqual({
      source: file,
      lockedPrivacyMode: "ask",
      allowedProviderKinds: ["openai-compatible", "anthropic"],
      allowedProviderHosts: ["llm.internal.example.org", "*.openai.azure.com", "127.0.0.1:8000"],
      huggingFaceEndpoint: "https://hf-mirror.example.org",
      requireDatabaseEncryption: true,
    });
  });

  it("requires database encryption only when it says so, and a broken policy requires it", () => {
    expect(loadPolicy({ file: write("{}") }).requireDatabaseEncryption).toBe(false);
    expect(loadPolicy({ file: write(JSON.stringify({ requireDatabaseEncryption: false })) }).requireDatabaseEncryption).toBe(false);
    const reading = readPolicy({ file: write(JSON.stringify({ requireDatabaseEncryption: "yes" })) });
    expect(reading.problem).toMatch(/requireDatabaseEncryption/);
    expect(reading.policy.requireDatabaseEncryption).toBe(true);
  });

  it("reads an empty object as a policy that locks nothing", () => {
    const file = write("\uFEFF{}");
    expect(loadPolicy({ file })).toEqual({ ...emptyPolicy, source: file });
  });

  const malformed: Array<[string, string, RegExp]> = [
    ["not JSON", "{ lockedPrivacyMode: local", /not valid JSON/],
    ["empty", "", /not valid JSON/],
    ["an unknown mode", JSON.stringify({ lockedPrivacyMode: "cloud" }), /lockedPrivacyMode/],
    ["a misspelt key", JSON.stringify({ lockedPrivacyMod: "local" }), /lockedPrivacyMod/],
    ["an unknown provider kind", JSON.stringify({ allowedProviderKinds: ["openai", "bedrock"] }), /allowedProviderKinds/],
    ["a host with a path", JSON.stringify({ allowedProviderHosts: ["https://x.org/v1"] }), /allowedProviderHosts/],
    ["a bad endpoint", JSON.stringify({ huggingFaceEndpoint: "ftp://mirror" }), /huggingFaceEndpoint/],
    ["an internal host with userinfo", JSON.stringify({ internalHosts: ["llm.corp.example", "me@llm.corp.example"] }), /internalHosts\.1: "me@llm\.corp\.example" is not a host name/],
    ["an internal host as a URL", JSON.stringify({ internalHosts: ["http://llm.corp.example:8000"] }), /internalHosts\.0: .*not a host name/],
    ["an internal host with a bad port", JSON.stringify({ internalHosts: ["llm.corp.example:99999"] }), /internalHosts\.0: .*port outside/],
    ["internal hosts that are not a list", JSON.stringify({ internalHosts: "llm.corp.example" }), /internalHosts/],
    ["an array", "[]", /expected object/],
  ];

  it.each(malformed)("fails closed on %s: Local only, no provider allowed, with the reason", (_name, content, reason) => {
    const file = write(content);
    const { policy, problem } = readPolicy({ file });
    expect(policySchema.parse(policy)).toEqual(policy);
    expect(policy).toMatchObject({ lockedPrivacyMode: "local", allowedProviderKinds: [], allowedProviderHosts: [], huggingFaceEndpoint: null });
    expect(policy.source).toContain(file);
    expect(policy.source).toMatch(/not valid/);
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/keeps everything on this computer/);
  });

  it("reads internalHosts in their canonical spelling, and leaves the field out when there are none", () => {
    const file = write(JSON.stringify({ internalHosts: ["LLM.Corp.Example.", "10.0.0.5:11434", "[FD00::5]:8080", "*.GPU.corp.example", "llm.corp.example"] }));
    const policy = loadPolicy({ file });
    expect(policySchema.parse(policy)).toEqual(policy);
    expect(policy.internalHosts).toEqual(["llm.corp.example", "10.0.0.5:11434", "[fd00::5]:8080", "*.gpu.corp.example"]);
    expect(loadPolicy({ file: write(JSON.stringify({ internalHosts: [] })) })).not.toHaveProperty("internalHosts");
    expect(loadPolicy({ file: write("{}") })).not.toHaveProperty("internalHosts");
  });

  it("fails closed when the path is a directory", () => {
    const dir = tmp();
    expect(readPolicy({ file: dir })).toMatchObject({ policy: { lockedPrivacyMode: "local" }, problem: expect.stringMatching(/not a file/) });
  });

  it("HEARTH_POLICY_FILE overrides the documented location; an explicit file wins over both", () => {
    const fromEnv = write(JSON.stringify({ lockedPrivacyMode: "local" }));
    const explicit = write(JSON.stringify({ lockedPrivacyMode: "auto" }));
    expect(loadPolicy({ env: { HEARTH_POLICY_FILE: fromEnv } }).lockedPrivacyMode).toBe("local");
    expect(loadPolicy({ file: explicit, env: { HEARTH_POLICY_FILE: fromEnv } }).lockedPrivacyMode).toBe("auto");
    expect(loadPolicy({ file: null, env: { HEARTH_POLICY_FILE: fromEnv } }).source).toBe(fromEnv);
  });

  it("knows each platform's documented location", () => {
    expect(defaultPolicyFile("linux", {})).toBe("/etc/hearth/policy.json");
    expect(defaultPolicyFile("darwin", {})).toBe("/Library/Application Support/Hearth/policy.json");
    expect(defaultPolicyFile("win32", { ProgramData: "D:\\ProgramData" })).toBe("D:\\ProgramData\\Hearth\\policy.json");
    expect(defaultPolicyFile("win32", {})).toBe("C:\\ProgramData\\Hearth\\policy.json");
  });
});

describe("hostAllowed", () => {
  it("matches hosts, wildcards and ports", () => {
    expect(hostAllowed(null, "anything", "443")).toBe(true);
    expect(hostAllowed([], "api.openai.com", "443")).toBe(false);
    expect(hostAllowed(["api.openai.com"], "API.openai.com", "443")).toBe(true);
    expect(hostAllowed(["*.openai.azure.com"], "acme.openai.azure.com", "443")).toBe(true);
    expect(hostAllowed(["*.openai.azure.com"], "openai.azure.com", "443")).toBe(false);
    expect(hostAllowed(["*.openai.azure.com"], "evilopenai.azure.com", "443")).toBe(false);
    expect(hostAllowed(["127.0.0.1:8000"], "127.0.0.1", "8000")).toBe(true);
    expect(hostAllowed(["127.0.0.1:8000"], "127.0.0.1", "8001")).toBe(false);
    expect(hostAllowed(["[::1]:8000"], "[::1]", "8000")).toBe(true);
    expect(hostAllowed(["api.openai.com"], "api.openai.com.evil.org", "443")).toBe(false);
  });
});
