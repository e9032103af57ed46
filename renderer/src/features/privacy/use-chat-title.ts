import { useEffect, useState } from "react";
import type { HearthApi } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { useHearth } from "../../state/store.js";

/** The core's title of a chat the sidebar has not loaded; a chat the core no longer has is "a deleted chat". */
export async function fetchChatTitle(api: Pick<HearthApi, "getConversation">, conversationId: string): Promise<string> {
  try {
    return (await api.getConversation({ conversationId, limit: 1 })).conversation.title;
  } catch {
    return "a deleted chat";
  }
}

/** What the view shows: the sidebar's title, else the fetched one once it is for this chat, else "this chat". */
export function chatTitleOf(conversationId: string | null, known: string | null, fetched: { id: string; title: string } | null): string | null {
  if (!conversationId) return null;
  if (known !== null) return known;
  return fetched?.id === conversationId ? fetched.title : "this chat";
}

/**
 * The title of the chat an audit view is filtered to. The sidebar loads conversations a page at a time, so a chat
 * it has not reached yet is asked of the core instead of being taken for deleted.
 */
export function useChatTitle(conversationId: string | null): string | null {
  const known = useHearth((s) => (conversationId ? (s.conversations[conversationId]?.title ?? null) : null));
  const [fetched, setFetched] = useState<{ id: string; title: string } | null>(null);
  useEffect(() => {
    if (!conversationId || known !== null) return;
    let live = true;
    void fetchChatTitle(getApi(), conversationId).then((title) => live && setFetched({ id: conversationId, title }));
    return () => {
      live = false;
    };
  }, [conversationId, known]);
  return chatTitleOf(conversationId, known, fetched);
}
