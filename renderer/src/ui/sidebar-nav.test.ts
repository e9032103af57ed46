import { beforeEach, describe, expect, it, vi } from "vitest";

/** The core behind a fake API: every call is recorded, each answers an empty page. */
const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => async () => {
      calls.push(name);
      return name === "listAudit" ? [] : { logCount: 0, total: 0, byOutcome: {}, byProvider: {} };
    },
  });
  return { api, calls };
});
vi.mock("../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));

const { goToAudit, goToModels, goToSettings } = await import("./sidebar-nav.js");
const { useHearth } = await import("../state/store.js");

beforeEach(() => {
  fake.calls.length = 0;
  useHearth.setState({ view: "chat", auditConversationId: null });
});

describe("the sidebar's places", () => {
  it("Settings stays on Settings when clicked again", () => {
    goToSettings();
    expect(useHearth.getState().view).toBe("settings");
    goToSettings();
    expect(useHearth.getState().view).toBe("settings");
  });

  it("Models stays on Models when clicked again", () => {
    goToModels();
    goToModels();
    expect(useHearth.getState().view).toBe("models");
  });

  it("Audit log stays on the whole log when clicked again, without loading it again", () => {
    goToAudit();
    expect(useHearth.getState().view).toBe("audit");
    const loads = fake.calls.filter((c) => c === "listAudit").length;
    expect(loads).toBe(1);
    goToAudit();
    expect(useHearth.getState().view).toBe("audit");
    expect(fake.calls.filter((c) => c === "listAudit").length).toBe(loads);
  });

  it("Audit log widens a conversation's log to the whole log", () => {
    useHearth.setState({ view: "audit", auditConversationId: "c1" });
    goToAudit();
    expect(useHearth.getState()).toMatchObject({ view: "audit", auditConversationId: null });
    expect(fake.calls).toContain("listAudit");
  });
});
