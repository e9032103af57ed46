import { z } from "zod";
import {
  AppError,
  CONVERSATION_EXPORT_FORMAT,
  CONVERSATION_EXPORT_VERSION,
  defaultConversationSettings,
  MAX_EXPORT_MESSAGE_CHARS,
  MAX_NAME_CHARS,
  type ConversationExport,
  type ExportedMessage,
} from "../../contract/index.js";
import { describeIssue } from "./conversation-import.js";

/**
 * ChatGPT's data export (`conversations.json`): an array of conversations, each a `mapping` of nodes by id with
 * `parent` and `children`, and the leaf it showed (`current_node`). Only what we map is read; the rest is ignored.
 */
const chatGptNodeSchema = z.object({
  id: z.string().min(1).max(200),
  parent: z.string().max(200).nullable().optional(),
  children: z.array(z.string().max(200)).max(10_000).optional(),
  message: z
    .object({
      author: z.object({ role: z.string().max(50) }),
      content: z.object({
        content_type: z.string().max(100),
        parts: z.array(z.unknown()).max(10_000).optional(),
        text: z.string().optional(),
      }),
      create_time: z.number().finite().nullable().optional(),
      metadata: z.object({ model_slug: z.string().max(MAX_NAME_CHARS).optional(), is_visually_hidden_from_conversation: z.boolean().optional() }).optional(),
    })
    .nullable()
    .optional(),
});

export const chatGptConversationSchema = z.object({
  title: z.string().nullable().optional(),
  create_time: z.number().finite().nullable().optional(),
  update_time: z.number().finite().nullable().optional(),
  mapping: z.record(z.string().max(200), chatGptNodeSchema),
  current_node: z.string().max(200).nullable().optional(),
});
type ChatGptConversation = z.infer<typeof chatGptConversationSchema>;
type ChatGptNode = z.infer<typeof chatGptNodeSchema>;

export const chatGptFileSchema = z.array(chatGptConversationSchema).max(10_000);

/** Whether a parsed file looks like ChatGPT's export (an array of conversations with `mapping`, or one of them). */
export function looksLikeChatGpt(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null && "mapping" in first;
}

/** The text a node shows: text parts joined, code as a fenced block; null for what Hearth has no place for. */
function textOf(node: ChatGptNode): string | null {
  const message = node.message;
  if (!message || message.metadata?.is_visually_hidden_from_conversation) return null;
  const { content } = message;
  if (content.content_type === "code" && typeof content.text === "string") return `\`\`\`\n${content.text}\n\`\`\``;
  if (content.content_type !== "text" && content.content_type !== "multimodal_text") return null;
  // Images and files are objects among the parts: they were not exported as files, so only the text comes along.
  const text = (content.parts ?? []).filter((part): part is string => typeof part === "string").join("\n");
  return text.trim() ? text.slice(0, MAX_EXPORT_MESSAGE_CHARS) : null;
}

const seconds = (value: number | null | undefined, fallback: number): number =>
  typeof value === "number" && value > 0 ? Math.round(value * 1000) : fallback;

/**
 * One ChatGPT conversation as a Hearth conversation file. System and tool messages, hidden ones and empty ones are
 * left out; what followed them hangs under the nearest message kept. An answer that continues an answer (a tool
 * call in between) joins it when that one has no other version, so the chat reads as user / assistant turns.
 * Null when nothing readable is left.
 */
export function mapChatGptConversation(source: ChatGptConversation, now: number): ConversationExport | null {
  const created = seconds(source.create_time, now);
  const nodes = new Map(Object.entries(source.mapping).map(([key, node]) => [node.id || key, node]));
  const kept = new Map<string, ExportedMessage>();
  /** Each node's nearest kept ancestor-or-self, null at the root: filled top-down, so parents are known first. */
  const keptAt = new Map<string, string | null>();
  const order: ExportedMessage[] = [];
  const roots = [...nodes.values()].filter((node) => !node.parent || !nodes.has(node.parent));
  // `sole`: every node from the kept ancestor down to this one had no other child (no version to tell apart).
  const stack = roots.reverse().map((node) => ({ node, above: null as string | null, sole: false }));
  const seen = new Set<string>();
  while (stack.length > 0) {
    const { node, above, sole } = stack.pop()!;
    if (seen.has(node.id)) continue; // a child listed twice, or a loop of children
    seen.add(node.id);
    const role = node.message?.author.role;
    const text = role === "user" || role === "assistant" ? textOf(node) : null;
    let here = above;
    if (text !== null && (role === "user" || role === "assistant")) {
      const parent = above === null ? undefined : kept.get(above);
      if (role === "assistant" && parent?.role === "assistant" && sole) {
        parent.content = `${parent.content}\n\n${text}`.slice(0, MAX_EXPORT_MESSAGE_CHARS);
        keptAt.set(node.id, parent.id);
        pushChildren(node, parent.id, true);
        continue;
      }
      const slug = node.message?.metadata?.model_slug ?? null;
      const message: ExportedMessage = {
        id: node.id,
        parentId: above,
        role,
        content: text,
        reasoning: "",
        status: "complete",
        modelId: null,
        modelName: role === "assistant" ? slug : null,
        stats: null,
        error: null,
        answeredBy: role === "assistant" && slug ? { kind: "cloud", provider: "ChatGPT", model: slug, reason: "Imported from ChatGPT", failover: false } : null,
        createdAt: seconds(node.message?.create_time, created),
      };
      kept.set(node.id, message);
      order.push(message);
      here = node.id;
    }
    keptAt.set(node.id, here);
    pushChildren(node, here, here === node.id || sole);
  }
  if (order.length === 0) return null;

  function pushChildren(node: ChatGptNode, above: string | null, soleSoFar: boolean): void {
    const children = (node.children ?? []).map((id) => nodes.get(id)).filter((child): child is ChatGptNode => child !== undefined);
    const sole = soleSoFar && children.length === 1;
    // Reversed so the first child is taken first: versions keep ChatGPT's order.
    for (const child of children.reverse()) stack.push({ node: child, above, sole });
  }

  const current = source.current_node ? keptAt.get(source.current_node) : undefined;
  return {
    format: CONVERSATION_EXPORT_FORMAT,
    version: CONVERSATION_EXPORT_VERSION,
    exportedAt: now,
    appVersion: null,
    conversation: {
      id: "chatgpt",
      title: (source.title ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_NAME_CHARS) || "Imported from ChatGPT",
      createdAt: created,
      updatedAt: seconds(source.update_time, created),
      settings: { ...defaultConversationSettings, modelId: null },
    },
    messages: order,
    activeLeafId: current ?? null,
  };
}

/** A ChatGPT export (the array, or one conversation of it) as Hearth files; `skipped` counts empty conversations. */
export function readChatGptFile(value: unknown, now: number): { files: ConversationExport[]; skipped: number } {
  const parsed = chatGptFileSchema.safeParse(Array.isArray(value) ? value : [value]);
  if (!parsed.success) throw new AppError("INVALID_INPUT", `The ChatGPT export is damaged: ${describeIssue(parsed.error)}.`);
  const files: ConversationExport[] = [];
  let skipped = 0;
  for (const conversation of parsed.data) {
    const file = mapChatGptConversation(conversation, now);
    if (file) files.push(file);
    else skipped++;
  }
  return { files, skipped };
}
