import { describe, expect, it } from "vitest";
import { AppError } from "../../api/contract.js";
import { chatTitleOf, fetchChatTitle } from "./use-chat-title.js";

describe("the title of the chat an audit view is filtered to", () => {
  it("is asked of the core when the sidebar has not loaded that chat, and is a deleted chat only when the core has none", async () => {
    const conversation = { title: "Quarterly plans" };
    const found = { getConversation: async () => ({ conversation }) } as never;
    expect(await fetchChatTitle(found, "c1")).toBe("Quarterly plans");
    const gone = {
      getConversation: async () => {
        throw new AppError("NOT_FOUND", "No such conversation.");
      },
    } as never;
    expect(await fetchChatTitle(gone, "c1")).toBe("a deleted chat");
  });

  it("shows the sidebar's title, else the fetched one for this chat, else a neutral name while it is asked", () => {
    expect(chatTitleOf(null, null, null)).toBeNull();
    expect(chatTitleOf("c1", "From the sidebar", { id: "c1", title: "Fetched" })).toBe("From the sidebar");
    expect(chatTitleOf("c1", null, { id: "c1", title: "Fetched" })).toBe("Fetched");
    // A title fetched for the chat shown before is not this chat's.
    expect(chatTitleOf("c2", null, { id: "c1", title: "Fetched" })).toBe("this chat");
    expect(chatTitleOf("c2", null, null)).toBe("this chat");
  });
});
