import { Children, isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { archiveSavedText, DataArchivePanel } from "./DataArchivePanel.js";
import { ExportConversationMenu } from "./ExportConversationMenu.js";
import { ImportConversationPanel, type ImportPanelProps } from "./ImportConversationButton.js";

const actions = vi.hoisted(() => ({ exportConversation: vi.fn(async () => {}), importConversationFile: vi.fn(async () => null) }));
vi.mock("../../state/transfer-actions.js", async (importOriginal) => ({ ...(await importOriginal<object>()), ...actions }));

type Props = { "data-testid"?: string; children?: ReactNode; onClick?: (event: unknown) => void; onChange?: (event: unknown) => void };

/** The element with a test id in what a component returned (no DOM needed: the tree is plain elements). */
function byTestId(node: ReactNode, id: string): ReactElement<Props> | null {
  if (!isValidElement<Props>(node)) return null;
  if (node.props["data-testid"] === id) return node;
  for (const child of Children.toArray(node.props.children)) {
    const found = byTestId(child, id);
    if (found) return found;
  }
  return null;
}

beforeEach(() => {
  actions.exportConversation.mockClear();
  actions.importConversationFile.mockClear();
});

describe("the conversation's export menu", () => {
  it("offers Markdown and JSON", () => {
    const html = renderToStaticMarkup(<ExportConversationMenu conversationId="c1" />);
    expect(html).toMatch(/<details class="conversation-menu"[^>]*><summary class="icon-button" aria-label="Export"/);
    expect(html).toContain(">Export as Markdown</button>");
    expect(html).toContain(">Export as JSON</button>");
  });

  it("exports the chosen format and closes the menu", () => {
    const tree = ExportConversationMenu({ conversationId: "c1" });
    const menu = { open: true };
    const event = { currentTarget: { closest: (selector: string) => (selector === "details" ? menu : null) } };
    byTestId(tree, "conversation-export-json")!.props.onClick!(event);
    byTestId(tree, "conversation-export-markdown")!.props.onClick!(event);
    expect(actions.exportConversation.mock.calls).toEqual([["c1", "json"], ["c1", "markdown"]]);
    expect(menu.open).toBe(false);
  });
});

describe("Import in the sidebar", () => {
  const noop = () => undefined;
  const panel = (over: Partial<ImportPanelProps> = {}) =>
    ImportConversationPanel({ canPickFiles: false, path: "", busy: false, progress: null, onPath: noop, onSubmitPath: noop, onPick: noop, onFile: noop, ...over });

  it("in the browser: a path field for a file of any size, and a picker for a small one", () => {
    const html = renderToStaticMarkup(panel());
    expect(html).toContain("Path to the file on this computer (any size)");
    expect(html).toMatch(/disabled="" data-testid="conversation-import-path-submit">Import</);
    expect(html).toMatch(/<input type="file" accept="\.json,application\/json"/);
    expect(html).not.toContain("conversation-import-pick");
    expect(renderToStaticMarkup(panel({ path: "/tmp/conversations.json" }))).toMatch(/data-testid="conversation-import-path-submit">Import</);
  });

  it("in the desktop app: the system's open-file dialog, no path field", () => {
    const onPick = vi.fn();
    const tree = panel({ canPickFiles: true, onPick });
    const html = renderToStaticMarkup(tree);
    expect(html).toContain(">Choose a file…</button>");
    expect(html).not.toContain("conversation-import-path");
    byTestId(tree, "conversation-import-pick")!.props.onClick!({});
    expect(onPick).toHaveBeenCalledTimes(1);
  });

  it("shows how far an import has read while it runs", () => {
    const progress = { bytesRead: 12_000_000, totalBytes: 48_000_000, imported: 1204, skipped: 0, failed: 3 };
    const html = renderToStaticMarkup(panel({ busy: true, progress }));
    expect(html).toMatch(/role="status" data-testid="conversation-import-progress">Reading 12(\.0)? MB of 48(\.0)? MB · 1,204 conversations imported · 3 could not be read</);
    expect(html).toContain(">Importing…</button>");
  });
});

describe("Your data in Settings", () => {
  it("offers Export all data and a restore by path, disabled until a path is typed", () => {
    const html = renderToStaticMarkup(<DataArchivePanel />);
    expect(html).toContain(">Export all data</button>");
    expect(html).toContain("keys and tokens never are");
    expect(html).toMatch(/<button type="submit" class="button small" disabled="" data-testid="restore-archive">Restore<\/button>/);
  });

  it("says where the archive was saved and what it holds", () => {
    const saved = { path: "/data/exports/hearth-data-2026.hearth-archive.json", bytes: 2_500_000, counts: { conversations: 3, messages: 40, settings: 5, providers: 0, auditEntries: 2 } };
    expect(archiveSavedText(saved)).toMatch(/^Saved 3 conversations \(40 messages\), 0 providers, 2 audit entries to \/data\/exports\/hearth-data-2026\.hearth-archive\.json \(2\.\d MB\)\.$/);
  });
});
