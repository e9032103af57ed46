import { describe, expect, it } from "vitest";
import { checkEndpoint } from "./endpoint.js";

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
