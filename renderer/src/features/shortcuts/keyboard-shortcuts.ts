/** The app's keyboard shortcuts: what each does, its keys, and which key press is which (pure, no DOM). */

export type ShortcutId = "new-chat" | "search" | "find" | "stop" | "copy-last-answer" | "edit-last-message" | "shortcuts";

export type Shortcut = { id: ShortcutId; label: string };

/** In the order the shortcuts sheet lists them. */
export const shortcuts: readonly Shortcut[] = [
  { id: "new-chat", label: "New chat" },
  { id: "search", label: "Search all chats" },
  { id: "find", label: "Find in this chat" },
  { id: "stop", label: "Stop the answer being written" },
  { id: "copy-last-answer", label: "Copy the last answer" },
  { id: "edit-last-message", label: "Edit your last message (in an empty message box)" },
  { id: "shortcuts", label: "Show these shortcuts" },
];

/** The keys a shortcut is, as the sheet shows them: ⌘ on a Mac, Ctrl elsewhere. */
export function shortcutKeys(id: ShortcutId, mac: boolean): string[] {
  const mod = mac ? "⌘" : "Ctrl";
  switch (id) {
    case "new-chat":
      return [mod, "N"];
    case "search":
      return [mod, "K"];
    case "find":
      return [mod, "F"];
    case "stop":
      return ["Esc"];
    case "copy-last-answer":
      return [mod, mac ? "⇧" : "Shift", "C"];
    case "edit-last-message":
      return ["↑"];
    case "shortcuts":
      return [mod, "/"];
    default:
      return id satisfies never;
  }
}

export type KeyPress = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** An input method is composing a character: its keys are not shortcuts. */
  isComposing?: boolean;
};

export type KeyContext = {
  mac: boolean;
  /** Whether the focus is in the message box, and it is empty; null when the focus is elsewhere. */
  composerEmpty: boolean | null;
};

/** Which shortcut a key press is, or null. Cmd is the modifier on a Mac, Ctrl elsewhere; the other one is never it. */
export function matchShortcut(press: KeyPress, context: KeyContext): ShortcutId | null {
  if (press.isComposing) return null;
  const mod = context.mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  const plain = !press.ctrlKey && !press.metaKey && !press.altKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (plain && !press.shiftKey && key === "Escape") return "stop";
  if (plain && !press.shiftKey && key === "ArrowUp" && context.composerEmpty === true) return "edit-last-message";
  if (!mod || press.altKey) return null;
  if (key === "n" && !press.shiftKey) return "new-chat";
  if (key === "k" && !press.shiftKey) return "search";
  if (key === "f" && !press.shiftKey) return "find";
  if (key === "c" && press.shiftKey) return "copy-last-answer";
  // "/" needs Shift on some layouts (German: Shift+7); it is the character that counts.
  if (key === "/") return "shortcuts";
  return null;
}

/** Whether this machine's modifier is Cmd. */
export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}
