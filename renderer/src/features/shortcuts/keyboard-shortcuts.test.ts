import { describe, expect, it } from "vitest";
import { isMac, matchShortcut, shortcutKeys, shortcuts, type KeyPress } from "./keyboard-shortcuts.js";

const press = (key: string, mods: Partial<Omit<KeyPress, "key">> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const pc = { mac: false, composerEmpty: null };
const mac = { mac: true, composerEmpty: null };

describe("matchShortcut", () => {
  it("reads Ctrl as the modifier off a Mac and Cmd on one, never the other", () => {
    expect(matchShortcut(press("n", { ctrlKey: true }), pc)).toBe("new-chat");
    expect(matchShortcut(press("n", { metaKey: true }), pc)).toBeNull();
    expect(matchShortcut(press("n", { metaKey: true }), mac)).toBe("new-chat");
    expect(matchShortcut(press("n", { ctrlKey: true }), mac)).toBeNull();
    expect(matchShortcut(press("n", { ctrlKey: true, altKey: true }), pc)).toBeNull();
    expect(matchShortcut(press("n"), pc)).toBeNull();
  });

  it("searches on Mod+K and finds on Mod+F, not with Shift", () => {
    expect(matchShortcut(press("k", { ctrlKey: true }), pc)).toBe("search");
    expect(matchShortcut(press("k", { metaKey: true }), mac)).toBe("search");
    expect(matchShortcut(press("f", { ctrlKey: true }), pc)).toBe("find");
    expect(matchShortcut(press("F", { ctrlKey: true, shiftKey: true }), pc)).toBeNull();
    expect(matchShortcut(press("k"), pc)).toBeNull();
  });

  it("copies the last answer on Mod+Shift+C (the key arrives upper-case), and plain Mod+C stays copy", () => {
    expect(matchShortcut(press("C", { ctrlKey: true, shiftKey: true }), pc)).toBe("copy-last-answer");
    expect(matchShortcut(press("c", { metaKey: true, shiftKey: true }), mac)).toBe("copy-last-answer");
    expect(matchShortcut(press("c", { ctrlKey: true }), pc)).toBeNull();
    expect(matchShortcut(press("N", { ctrlKey: true, shiftKey: true }), pc)).toBeNull();
  });

  it("opens the sheet on Mod+/, also where / needs Shift", () => {
    expect(matchShortcut(press("/", { ctrlKey: true }), pc)).toBe("shortcuts");
    expect(matchShortcut(press("/", { ctrlKey: true, shiftKey: true }), pc)).toBe("shortcuts");
    expect(matchShortcut(press("/"), pc)).toBeNull();
  });

  it("stops on a bare Esc only", () => {
    expect(matchShortcut(press("Escape"), pc)).toBe("stop");
    expect(matchShortcut(press("Escape", { shiftKey: true }), pc)).toBeNull();
    expect(matchShortcut(press("Escape", { ctrlKey: true }), pc)).toBeNull();
  });

  it("edits on ↑ only in an empty message box", () => {
    expect(matchShortcut(press("ArrowUp"), { mac: false, composerEmpty: true })).toBe("edit-last-message");
    expect(matchShortcut(press("ArrowUp"), { mac: false, composerEmpty: false })).toBeNull();
    expect(matchShortcut(press("ArrowUp"), pc)).toBeNull();
    expect(matchShortcut(press("ArrowUp", { shiftKey: true }), { mac: false, composerEmpty: true })).toBeNull();
  });

  it("ignores keys while an input method composes", () => {
    expect(matchShortcut(press("Escape", { isComposing: true }), pc)).toBeNull();
    expect(matchShortcut(press("ArrowUp", { isComposing: true }), { mac: false, composerEmpty: true })).toBeNull();
  });
});

describe("the sheet's keys", () => {
  it("names every shortcut's keys the way the machine's keyboard shows them", () => {
    expect(shortcuts.map((s) => s.id)).toEqual(["new-chat", "search", "find", "stop", "copy-last-answer", "edit-last-message", "shortcuts"]);
    expect(shortcutKeys("search", false)).toEqual(["Ctrl", "K"]);
    expect(shortcutKeys("new-chat", false)).toEqual(["Ctrl", "N"]);
    expect(shortcutKeys("copy-last-answer", true)).toEqual(["⌘", "⇧", "C"]);
    expect(shortcutKeys("shortcuts", true)).toEqual(["⌘", "/"]);
    expect(isMac("MacIntel")).toBe(true);
    expect(isMac("Linux x86_64")).toBe(false);
  });
});
