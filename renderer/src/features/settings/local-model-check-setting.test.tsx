import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AppSettings } from "../../api/contract.js";
import { LocalModelCheckField, LocalModelCheckSetting } from "./LocalModelCheckSetting.js";

const settings = { localModelCheck: false } as AppSettings;

describe("Second check by the local model (Settings)", () => {
  it("is not offered before any local model is installed", () => {
    expect(renderToStaticMarkup(<LocalModelCheckSetting settings={settings} saving={false} onChange={() => {}} />)).toBe("");
  });

  it("shows the setting as it is, off by default, and says what it costs", () => {
    const off = renderToStaticMarkup(<LocalModelCheckField settings={settings} saving={false} onChange={() => {}} />);
    expect(off).toContain("Second check by the local model");
    expect(off).toContain("up to 20 s");
    expect(off).not.toContain("checked");
    const on = renderToStaticMarkup(<LocalModelCheckField settings={{ ...settings, localModelCheck: true }} saving={false} onChange={() => {}} />);
    expect(on).toContain('checked=""');
  });
});
