import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { setEditDraft } from "../../state/edit-drafts.js";
import { useHearth } from "../../state/store.js";
import { restoreStore, setStore } from "../../test/store-for-render.js";
import { testMessage } from "../../test/test-message.js";
import { UserMessage } from "./UserMessage.js";

afterEach(restoreStore);

const message = testMessage({ id: "u1", role: "user", content: "Once upon a time there was a quokka" });
const render = () => renderToStaticMarkup(<UserMessage message={message} busy={false} />);

describe("a user message's inline edit", () => {
  it("outlives its row: a row made again (scrolled away and back) opens with the text being edited", () => {
    expect(render()).not.toContain('data-testid="message-editor"');
    setEditDraft("u1", "Once upon a time there was a wombat");
    // The list mounts rows near the screen only: this is a new row for the same message.
    setStore({ editDrafts: useHearth.getState().editDrafts });
    const html = render();
    expect(html).toContain('data-testid="message-editor"');
    expect(html).toContain("Once upon a time there was a wombat");
  });

  it("closing the edit removes its draft and leaves other messages' drafts alone", () => {
    setEditDraft("u1", "one");
    setEditDraft("u2", "two");
    setEditDraft("u1", null);
    expect(useHearth.getState().editDrafts).toEqual({ u2: "two" });
    const before = useHearth.getState().editDrafts;
    setEditDraft("u1", null);
    expect(useHearth.getState().editDrafts).toBe(before);
  });
});
