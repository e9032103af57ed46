import type { z } from "zod";
import {
  AppError,
  CONVERSATION_EXPORT_FORMAT,
  CONVERSATION_EXPORT_VERSION,
  MAX_CONVERSATION_FILE_CHARS,
  MAX_IMPORT_NESTING,
  conversationExportSchema,
  type ConversationExport,
  type ExportedMessage,
  type PrivacyMode,
} from "../../contract/index.js";
import type { NewConversationTree } from "../store/conversation-trees.js";

const invalid = (message: string): AppError => new AppError("INVALID_INPUT", message);

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without parsing (strings skipped), so a file
 * of a million nested brackets is refused before anything recursive sees it.
 */
export function jsonNesting(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

/** The text of an import file as JSON, after its size and nesting are checked; a clear INVALID_INPUT otherwise. */
export function parseImportText(text: string): unknown {
  if (text.length > MAX_CONVERSATION_FILE_CHARS) {
    throw invalid(`The file is too large to import (${(text.length / 1_000_000).toFixed(1)} M characters; the limit is ${MAX_CONVERSATION_FILE_CHARS / 1_000_000} M).`);
  }
  return parseJsonBounded(text);
}

/** JSON text parsed once its nesting is known to be shallow (any size: the caller bounds that). */
export function parseJsonBounded(text: string): unknown {
  if (jsonNesting(text, MAX_IMPORT_NESTING) > MAX_IMPORT_NESTING) {
    throw invalid(`The file nests deeper than ${MAX_IMPORT_NESTING} levels; no conversation export does.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Only the position: V8's message quotes the text around it, and the file may be anything the user pointed at.
    const at = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new AppError("INVALID_INPUT", `The file is not valid JSON${at ? ` (at character ${at})` : ""}.`, { cause: error });
  }
}

/** "messages[3].role: Invalid enum value..." - where in the file the first problem is, and what it is. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "it does not match the format";
  const where = issue.path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return `${where || "the file"}: ${issue.message}${more}`;
}

/** A Hearth conversation file, checked: the format and version first (so a newer file is refused by name). */
export function readConversationFile(value: unknown): ConversationExport {
  const head = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (!head || head.format !== CONVERSATION_EXPORT_FORMAT) {
    throw invalid("This file is neither a Hearth conversation export (format \"hearth.conversation\") nor a ChatGPT conversations.json.");
  }
  if (head.version !== CONVERSATION_EXPORT_VERSION) {
    const version = typeof head.version === "number" || typeof head.version === "string" ? ` ${String(head.version).slice(0, 20)}` : "";
    throw invalid(`This conversation file is of version${version}; this Hearth reads version ${CONVERSATION_EXPORT_VERSION}. Update Hearth to import it.`);
  }
  const parsed = conversationExportSchema.safeParse(value);
  if (!parsed.success) throw invalid(`The conversation file is damaged: ${describeIssue(parsed.error)}.`);
  return parsed.data;
}

/**
 * The messages ordered so each comes after the one it follows, keeping the file's order otherwise (versions stay
 * oldest first). Refuses a repeated id, a parent not in the file, and parents that loop.
 */
export function orderTree(messages: readonly ExportedMessage[]): ExportedMessage[] {
  const byId = new Map<string, ExportedMessage>();
  for (const m of messages) {
    if (byId.has(m.id)) throw invalid(`The conversation file is damaged: the message id "${m.id}" appears twice.`);
    byId.set(m.id, m);
  }
  for (const m of messages) {
    if (m.parentId !== null && !byId.has(m.parentId)) {
      throw invalid(`The conversation file is damaged: message "${m.id}" follows "${m.parentId}", which is not in the file.`);
    }
  }
  // A file Hearth wrote is already in order (parents first, versions oldest first): kept exactly as it is.
  const seen = new Set<string>();
  if (messages.every((m) => (m.parentId === null || seen.has(m.parentId)) && seen.add(m.id))) return [...messages];
  // Otherwise depth first from the first messages, children in the file's order, so versions keep their order.
  const children = new Map<string | null, ExportedMessage[]>();
  for (const m of messages) {
    const list = children.get(m.parentId);
    if (list) list.push(m);
    else children.set(m.parentId, [m]);
  }
  const ordered: ExportedMessage[] = [];
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    ordered.push(node);
    for (const child of [...(children.get(node.id) ?? [])].reverse()) stack.push(child);
  }
  // Every parent is in the file, so what no first message leads to hangs in a loop of parents.
  if (ordered.length < messages.length) {
    const reached = new Set(ordered.map((m) => m.id));
    const lost = messages.find((m) => !reached.has(m.id))!;
    throw invalid(`The conversation file is damaged: message "${lost.id}" follows itself through its parents (a loop).`);
  }
  return ordered;
}

export type ImportContext = {
  newId: () => string;
  modelExists: (id: string) => boolean;
  providerExists: (id: string) => boolean;
  /** The user's own default: a file never chooses whether a conversation may go to the cloud. */
  privacyMode: PrivacyMode;
};

/**
 * A checked file as a new conversation: fresh ids for it and every message (so importing twice, or a file whose
 * ids collide with ours, never touches what is stored), the tree and branch kept, references to models or
 * providers this install does not have cleared.
 */
export function planImport(file: ConversationExport, context: ImportContext): NewConversationTree {
  const ordered = orderTree(file.messages);
  if (file.activeLeafId !== null && !ordered.some((m) => m.id === file.activeLeafId)) {
    throw invalid(`The conversation file is damaged: the branch it shows ends at "${file.activeLeafId}", which is not in the file.`);
  }
  const ids = new Map(ordered.map((m) => [m.id, context.newId()]));
  const model = (id: string | null) => (id !== null && context.modelExists(id) ? id : null);
  const messages = ordered.map((m): ExportedMessage => {
    const context_ = m.stats?.context;
    return {
      ...m,
      id: ids.get(m.id)!,
      parentId: m.parentId === null ? null : ids.get(m.parentId)!,
      // Nothing is writing it any more.
      status: m.status === "streaming" ? "interrupted" : m.status,
      modelId: model(m.modelId),
      stats: m.stats
        ? { ...m.stats, ...(context_ ? { context: { ...context_, firstKeptMessageId: context_.firstKeptMessageId === null ? null : (ids.get(context_.firstKeptMessageId) ?? null) } } : {}) }
        : null,
    };
  });
  const s = file.conversation.settings;
  return {
    id: context.newId(),
    title: file.conversation.title.trim() || "Imported chat",
    createdAt: file.conversation.createdAt,
    updatedAt: file.conversation.updatedAt,
    settings: {
      modelId: model(s.modelId),
      systemPrompt: s.systemPrompt,
      temperature: s.temperature,
      contextSize: s.contextSize,
      maxOutputTokens: s.maxOutputTokens,
      privacyMode: context.privacyMode,
      cloudProviderId: s.cloudProviderId !== null && context.providerExists(s.cloudProviderId) ? s.cloudProviderId : null,
      ...(s.sampling ? { sampling: s.sampling } : {}),
    },
    stopAndAsk: s.contextOverflow === "stop-and-ask",
    messages,
    activeLeafId: file.activeLeafId === null ? null : ids.get(file.activeLeafId)!,
  };
}
