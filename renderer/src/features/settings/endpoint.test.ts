import { describe, expect, it } from "vitest";
import { checkEndpoint, tokenChange } from "./endpoint.js";

describe("checkEndpoint", () => {
  it("accepts https and normalises the trailing slash", () => {
    expect(checkEndpoint(" https://huggingface.co/ ")).toEqual({ ok: true, value: "https://huggingface.co", insecure: false });
    expect(checkEndpoint("https://mirror.example.org/hf/")).toEqual({ ok: true, value: "https://mirror.example.org/hf", insecure: false });
  });

  it("accepts http, flagging it unless it is this machine", () => {
    expect(checkEndpoint("http://127.0.0.1:8080")).toEqual({ ok: true, value: "http://127.0.0.1:8080", insecure: false });
    expect(checkEndpoint("http://localhost:9000/")).toMatchObject({ ok: true, insecure: false });
    expect(checkEndpoint("http://mirror.internal")).toMatchObject({ ok: true, insecure: true });
  });

  it("refuses what is not a usable base address", () => {
    for (const bad of ["", "   ", "huggingface.co", "ftp://mirror", "file:///etc", "javascript:alert(1)", "https://user:pw@hf.co", "https://hf.co/?x=1", "https://hf.co/#a"]) {
      expect(checkEndpoint(bad).ok, bad).toBe(false);
    }
  });
});

describe("tokenChange", () => {
  const stored = { hasHuggingFaceToken: true, huggingFaceTokenOrigin: "https://huggingface.co" };

  it("warns before saving that an endpoint on another host removes the stored token", () => {
    expect(tokenChange(stored, checkEndpoint("http://localhost:8080/x"), "")).toEqual({
      error: null,
      warning:
        "Saving removes the stored access token: it was entered for https://huggingface.co, and http://localhost:8080 is another host. Enter it again for the new host.",
    });
    // Scheme and port count: http://huggingface.co and https://huggingface.co:8443 are other hosts.
    expect(tokenChange(stored, checkEndpoint("http://huggingface.co"), "").warning).toMatch(/another host/);
    expect(tokenChange(stored, checkEndpoint("https://huggingface.co:8443"), "").warning).toMatch(/another host/);
  });

  it("says nothing for the same host, a new token, or no stored token", () => {
    expect(tokenChange(stored, checkEndpoint("https://huggingface.co/"), "")).toEqual({ error: null, warning: null });
    expect(tokenChange(stored, checkEndpoint("https://huggingface.co/mirror"), "")).toEqual({ error: null, warning: null });
    expect(tokenChange(stored, checkEndpoint("http://localhost:8080"), "hf_new")).toEqual({ error: null, warning: null });
    expect(tokenChange({ hasHuggingFaceToken: false, huggingFaceTokenOrigin: null }, checkEndpoint("http://localhost:8080"), "")).toEqual({ error: null, warning: null });
  });

  it("refuses a typed token for plain http to another machine", () => {
    expect(tokenChange(stored, checkEndpoint("http://mirror.internal"), "hf_new").error).toMatch(/only over https .* https:\/\/ address of mirror\.internal/);
    expect(tokenChange(stored, checkEndpoint("http://127.0.0.1:9000"), "hf_new").error).toBeNull();
  });
});
