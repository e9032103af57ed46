import { contextNotice } from "./context-cut.js";

/** A quiet line where the model's memory of the conversation begins: the messages above it are no longer read. */
export function ContextDivider({ droppedCount }: { droppedCount: number }) {
  return (
    <div className="context-divider" role="note" data-testid="context-divider">
      <span>{contextNotice(droppedCount)}</span>
    </div>
  );
}
