import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../loopback.js";
import { assertMayCarrySecret, mayCarrySecret, secretOrigin } from "./secret-origin.js";

describe("secret origins", () => {
  it("binds to scheme, host and port; not to the path", () => {
    expect(secretOrigin("https://huggingface.co/")).toBe("https://huggingface.co");
    expect(secretOrigin("https://huggingface.co:443/x")).toBe("https://huggingface.co");
    expect(secretOrigin("http://localhost:8080/x")).toBe("http://localhost:8080");
    expect(secretOrigin("https://mirror.corp/hf")).toBe(secretOrigin("https://mirror.corp/other"));
    expect(secretOrigin("http://huggingface.co")).not.toBe(secretOrigin("https://huggingface.co"));
    expect(secretOrigin("ftp://x")).toBeNull();
    expect(secretOrigin("not a url")).toBeNull();
  });

  it("knows loopback as WHATWG URL writes it", () => {
    for (const url of ["http://localhost:1", "http://127.0.0.1", "http://127.1", "http://2130706433", "http://127.255.0.9", "http://[::1]:8000", "http://[::ffff:127.0.0.1]"]) {
      expect(isLoopbackHost(new URL(url).hostname), url).toBe(true);
    }
    for (const url of ["http://10.0.0.1", "http://128.0.0.1", "http://localhost.evil.org", "http://127.0.0.1.nip.io", "http://[::2]", "http://[::ffff:10.0.0.1]"]) {
      expect(isLoopbackHost(new URL(url).hostname), url).toBe(false);
    }
    // As a socket reports the host it connects to.
    for (const host of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "LOCALHOST"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["hub.localhost", "::ffff:10.0.0.1", "10.255.255.1", ""]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("lets a secret go over https anywhere and over http only to loopback", () => {
    expect(mayCarrySecret("https://api.openai.com/v1")).toBe(true);
    expect(mayCarrySecret("http://127.0.0.1:4010/v1")).toBe(true);
    expect(mayCarrySecret("http://llm.lan/v1")).toBe(false);
    expect(mayCarrySecret("http://10.0.0.5:8080")).toBe(false);
    expect(mayCarrySecret("file:///etc/passwd")).toBe(false);
    expect(() => assertMayCarrySecret("http://llm.lan:8000/v1", "API keys")).toThrow(
      expect.objectContaining({ code: "INSECURE_ENDPOINT", message: expect.stringContaining("llm.lan:8000 uses plain http") }),
    );
  });
});
