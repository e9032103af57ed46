import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { sendMessage, stopGeneration } from "../../state/actions.js";
import { selectCloudAccess } from "../../state/cloud-access-actions.js";
import { selectIsGenerating } from "../../state/selectors.js";
import { useHearth } from "../../state/store.js";
import { cloudButton } from "../privacy/privacy-modes.js";

/** "Ask <cloud>": shown only when the core says this chat may use the cloud now (mode, policy, provider, key). */
function useCloudButton(conversationId: string | null): { label: string; title: string } | null {
  return useHearth(useShallow((s) => cloudButton(selectCloudAccess(conversationId)(s))));
}

/** Enter sends, Shift+Enter adds a line; while an answer streams the Send button becomes Stop. */
export function Composer({ conversationId }: { conversationId: string | null }) {
  const generating = useHearth(selectIsGenerating(conversationId));
  const disconnected = useHearth((s) => s.connection === "disconnected");
  const awaitingApproval = useHearth((s) => conversationId !== null && s.pendingProposals[conversationId] !== undefined);
  const cloud = useCloudButton(conversationId);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, [conversationId]);

  async function submit(escalate = false) {
    const prompt = text.trim();
    if (!prompt || generating || sending || disconnected || awaitingApproval) return;
    setSending(true);
    setText("");
    const sent = await sendMessage(prompt, { escalate });
    setSending(false);
    // Give the text back if the core refused it, unless the user already typed something new.
    if (!sent) setText((current) => (current === "" ? prompt : current));
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={input}
        className="composer-input"
        rows={1}
        placeholder={
          disconnected
            ? "Waiting for Hearth to come back…"
            : awaitingApproval
              ? "Send, edit or keep local the message above first…"
              : "Write a message… (Enter to send, Shift+Enter for a new line)"
        }
        aria-label="Message"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="composer"
      />
      {generating && conversationId ? (
        <button type="button" className="button stop" disabled={disconnected} onClick={() => void stopGeneration(conversationId)} data-testid="stop">
          Stop
        </button>
      ) : (
        <>
          {cloud && (
            <button
              type="button"
              className="button ask-cloud"
              title={cloud.title}
              disabled={text.trim() === "" || sending || disconnected || awaitingApproval}
              onClick={() => void submit(true)}
              data-testid="ask-cloud"
            >
              <span aria-hidden="true">☁</span> <span className="ask-cloud-label">{cloud.label}</span>
            </button>
          )}
          <button
            type="submit"
            className="button primary"
            disabled={text.trim() === "" || sending || disconnected || awaitingApproval}
            data-testid="send"
          >
            Send
          </button>
        </>
      )}
    </form>
  );
}
