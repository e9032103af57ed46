import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ApiActivityEntry, ApiServerState } from "../../api/contract.js";
import { ApiActivityList } from "./ApiActivityList.js";
import { LocalApiForm } from "./LocalApiForm.js";

const off: ApiServerState = {
  enabled: false,
  running: false,
  port: 8765,
  url: null,
  keyPreview: "••••••••••••abcd",
  keyFromLaunch: false,
  allowedOrigins: [],
  policyRefusal: null,
  problem: null,
};
const noop = () => {};
const render = (state: ApiServerState) =>
  renderToStaticMarkup(<LocalApiForm state={state} busy={false} error={null} notice={null} onUpdate={noop} onCopyKey={noop} onRotateKey={noop} />);

describe("Local API settings", () => {
  it("is off by default and shows the key only masked", () => {
    const html = render(off);
    expect(html).toContain("Local API server");
    expect(html).not.toMatch(/data-testid="local-api-switch"[^>]*checked/);
    expect(html).toContain("••••••••••••abcd");
    expect(html).not.toContain("local-api-url");
  });

  it("says where it runs, and why it cannot when the policy forbids it (switch disabled)", () => {
    expect(render({ ...off, enabled: true, running: true, url: "http://127.0.0.1:8765/v1" })).toContain("http://127.0.0.1:8765/v1");
    const locked = render({ ...off, policyRefusal: "Your organisation's policy does not allow the local API server." });
    expect(locked).toContain("policy does not allow");
    expect(locked).toMatch(/<input type="checkbox" disabled=""/);
    expect(render({ ...off, enabled: true, problem: "Port 8765 is already used by another program; choose another port." })).toContain("already used");
  });

  it("lists requests with their program, tokens and status, never their content", () => {
    const entry: ApiActivityEntry = {
      id: 1,
      at: Date.now(),
      method: "POST",
      path: "/v1/chat/completions",
      client: "OpenAI/JS 6.49.0",
      remotePort: 51234,
      model: "stories",
      stream: true,
      inputTokens: 12,
      outputTokens: 30,
      durationMs: 1500,
      status: 200,
      error: null,
    };
    const html = renderToStaticMarkup(<ApiActivityList entries={[entry, { ...entry, id: 2, status: 401, error: "invalid_api_key", inputTokens: null }]} />);
    expect(html).toContain("OpenAI/JS 6.49.0");
    expect(html).toContain("12 / 30");
    expect(html).toContain("1.5 s");
    expect(html).toContain("401 invalid_api_key");
    expect(renderToStaticMarkup(<ApiActivityList entries={[]} />)).toContain("No requests yet");
  });
});
