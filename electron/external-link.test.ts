import { describe, expect, it, vi } from "vitest";
import { createExternalLinkOpener, externalLinkQuestion } from "./external-link.js";

describe("createExternalLinkOpener", () => {
  const setup = (answer: boolean | (() => Promise<boolean>)) => {
    const confirm = vi.fn(typeof answer === "function" ? answer : async () => answer);
    const open = vi.fn(async () => {});
    return { confirm, open, openExternal: createExternalLinkOpener({ confirm, open }) };
  };

  it("asks with the normalized URL and opens it only when the user says yes", async () => {
    const yes = setup(true);
    await yes.openExternal("HTTPS://Example.com/a%20b");
    expect(yes.confirm).toHaveBeenCalledWith("https://example.com/a%20b");
    expect(yes.open).toHaveBeenCalledWith("https://example.com/a%20b");

    const no = setup(false);
    await no.openExternal("https://example.com/");
    expect(no.confirm).toHaveBeenCalledTimes(1);
    expect(no.open).not.toHaveBeenCalled();
  });

  it.each(["file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "https://user:pw@example.com/", "https://exa mple.com/", ""])(
    "refuses %j before asking anything",
    async (url) => {
      const { confirm, open, openExternal } = setup(true);
      await expect(openExternal(url)).rejects.toMatchObject({ code: "INVALID_INPUT" });
      expect(confirm).not.toHaveBeenCalled();
      expect(open).not.toHaveBeenCalled();
    },
  );

  it("asks one question at a time: a second link while one is pending is refused, not queued", async () => {
    let answer: (value: boolean) => void = () => {};
    const { confirm, open, openExternal } = setup(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const first = openExternal("https://a.example/");
    await expect(openExternal("https://b.example/")).rejects.toMatchObject({ code: "BUSY" });
    answer(true);
    await first;
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith("https://a.example/");
    // Once answered, the next link may ask again, even after a failed dialog.
    confirm.mockRejectedValueOnce(new Error("no window"));
    await expect(openExternal("https://c.example/")).rejects.toThrow("no window");
    confirm.mockResolvedValueOnce(false);
    await openExternal("https://d.example/");
    expect(confirm).toHaveBeenCalledTimes(3);
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe("externalLinkQuestion", () => {
  it("shows the host (punycode for look-alike names) and the whole URL, Cancel first", () => {
    const question = externalLinkQuestion(new URL("https://exаmple.com/path?q=1").href);
    expect(question.message).toBe("Open xn--exmple-4nf.com in your browser?");
    expect(question.detail).toContain("https://xn--exmple-4nf.com/path?q=1");
    expect(question.buttons[0]).toBe("Cancel");
  });
});
