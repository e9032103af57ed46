import type { Message } from "../../api/contract.js";
import { selectVersion } from "../../state/version-actions.js";

/** `‹ 2/3 ›` under a message with versions: flips to the previous or next one; the rest of the chat follows. */
export function VersionSwitcher({ message, disabled }: { message: Message; disabled: boolean }) {
  const ids = message.versionIds;
  if (!ids || ids.length < 2) return null;
  const index = ids.indexOf(message.id);
  if (index === -1) return null;
  const go = (to: number) => {
    const target = ids[to];
    if (target) void selectVersion(message.conversationId, target);
  };
  return (
    <span className="version-switcher" data-testid="version-switcher" role="group" aria-label="Versions">
      <button
        type="button"
        className="button ghost small"
        aria-label="Previous version"
        data-testid="version-previous"
        disabled={disabled || index === 0}
        onClick={() => go(index - 1)}
      >
        ‹
      </button>
      <span data-testid="version-label">{`${index + 1}/${ids.length}`}</span>
      <button
        type="button"
        className="button ghost small"
        aria-label="Next version"
        data-testid="version-next"
        disabled={disabled || index === ids.length - 1}
        onClick={() => go(index + 1)}
      >
        ›
      </button>
    </span>
  );
}
