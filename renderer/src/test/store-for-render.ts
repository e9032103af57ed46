import type { Message } from "../api/contract.js";
import { emptyMessagesState, setConversationMessages } from "../state/messages-state.js";
import { useHearth, type HearthState } from "../state/store.js";

/**
 * Server rendering (renderToStaticMarkup) reads the store's initial state, the object zustand keeps, not the live
 * one: a test's state is put in both, and restoreStore() puts both back as they were.
 */
const initial = useHearth.getInitialState();
const original: Partial<HearthState> = { ...initial };

export function setStore(state: Partial<HearthState>): void {
  Object.assign(initial, state);
  useHearth.setState(state);
}

/** Conversation "c1" with these messages, loaded. */
export function setStoreMessages(messages: Message[]): void {
  setStore({ messages: setConversationMessages(emptyMessagesState, "c1", messages), loadedConversations: { c1: true } });
}

/** Call after each test that set the store. */
export function restoreStore(): void {
  for (const key of Object.keys(initial) as Array<keyof HearthState>) {
    if (!(key in original)) delete (initial as Partial<HearthState>)[key];
  }
  Object.assign(initial, original);
  useHearth.setState(original as HearthState, true);
}
