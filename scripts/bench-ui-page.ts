/**
 * What the bench runs inside the page, as source text: this side of the project is type-checked without the DOM
 * library, and Playwright sends functions as text anyway.
 */

/** Installed before the app's own scripts: every long task (over 50 ms on the main thread) with its start. */
export const recordLongTasks = `
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__benchLongTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
`;

/** The page's clock, to mark where a phase begins and ends. */
export const pageNow = "performance.now()";

/** Long tasks that started in [from, to] of the page's clock. */
export function longTasksBetween(from: number, to: number): string {
  return `(() => {
    const tasks = window.__benchLongTasks.filter((t) => t.start >= ${from} && t.start <= ${to});
    return { count: tasks.length, longestMs: Math.round(tasks.reduce((max, t) => Math.max(max, t.duration), 0)) };
  })()`;
}

/** The long tasks that started at or after `from` (page clock), as recorded. */
export function longTasksSince(from: number): string {
  return `window.__benchLongTasks.filter((t) => t.start >= ${from})`;
}

const helpers = `
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const scroller = () => document.querySelector('[data-testid="message-list"]');
  const visible = (id) => {
    const el = document.querySelector('[data-message-id="' + id + '"]');
    const box = scroller();
    if (!el || !box) return false;
    const a = el.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return a.bottom > b.top && a.top < b.bottom && a.height > 0;
  };
`;

/**
 * Clicks the conversation and waits until its last message is on screen; resolves with the click's time and the
 * time of the first frame after the one that showed it (so that frame was painted).
 */
export function openAndWait(conversationId: string, lastMessageId: string, timeoutMs: number): string {
  return `(async () => {
    ${helpers}
    const button = document.querySelector('[data-conversation-id="${conversationId}"] .conversation-open');
    if (!button) throw new Error("the conversation is not in the sidebar");
    const clickedAt = performance.now();
    button.click();
    while (!visible(${JSON.stringify(lastMessageId)})) {
      if (performance.now() - clickedAt > ${timeoutMs}) throw new Error("the last message was not shown in time");
      await frame();
    }
    await frame();
    return { clickedAt, paintedAt: performance.now() };
  })()`;
}

/**
 * Scrolls up a screen-and-a-half per frame, as a fast wheel would, until the first message is on screen at the top.
 * Older pages may load on the way; their wait is part of the time.
 */
export function scrollToTop(firstMessageId: string, timeoutMs: number): string {
  return `(async () => {
    ${helpers}
    const startedAt = performance.now();
    let frames = 0;
    while (!(visible(${JSON.stringify(firstMessageId)}) && scroller().scrollTop === 0)) {
      if (performance.now() - startedAt > ${timeoutMs}) return { startedAt, endedAt: performance.now(), frames, reached: false };
      scroller().scrollBy(0, -Math.round(scroller().clientHeight * 1.5));
      frames++;
      await frame();
    }
    return { startedAt, endedAt: performance.now(), frames, reached: true };
  })()`;
}

/** Scrolls to the end and waits until the last message is on screen (a virtual list may need a few frames). */
export function scrollToBottom(lastMessageId: string, timeoutMs: number): string {
  return `(async () => {
    ${helpers}
    const startedAt = performance.now();
    while (!visible(${JSON.stringify(lastMessageId)})) {
      if (performance.now() - startedAt > ${timeoutMs}) throw new Error("could not scroll back to the last message");
      scroller().scrollTop = scroller().scrollHeight;
      await frame();
    }
    for (let i = 0; i < 5; i++) {
      scroller().scrollTop = scroller().scrollHeight;
      await frame();
    }
    return performance.now();
  })()`;
}

/** Whether the message on screen shows `text`, to check the stream was shown to its end. */
export function messageShows(messageId: string, text: string): string {
  return `(() => {
    const el = document.querySelector('[data-message-id="${messageId}"] [data-testid="message-content"]');
    return !!el && el.textContent.includes(${JSON.stringify(text)});
  })()`;
}

export const countElements = "document.getElementsByTagName('*').length";
