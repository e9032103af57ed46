import { describe, expect, it } from "vitest";
import { scrollTowards } from "./scroll-towards.js";

describe("scrolling a virtualized list towards a row it has not rendered", () => {
  const rendered = [
    { index: 52, top: 5300, bottom: 5400 },
    { index: 50, top: 5000, bottom: 5200 },
    { index: 51, top: 5200, bottom: 5300 },
  ];

  it("estimates from the rendered rows' average height, above and below them", () => {
    // Rows 50-52 span 400 px: 133 px a row.
    expect(scrollTowards(20, 100, rendered, 10_000)).toBeCloseTo(5000 - 30 * (400 / 3));
    expect(scrollTowards(60, 100, rendered, 10_000)).toBeCloseTo(5400 + 7 * (400 / 3));
  });

  it("stays within the content, and goes in proportion when nothing is rendered", () => {
    expect(scrollTowards(0, 100, [{ index: 90, top: 100, bottom: 200 }], 10_000)).toBe(0);
    expect(scrollTowards(99, 100, [{ index: 1, top: 9_800, bottom: 9_900 }], 10_000)).toBe(10_000);
    expect(scrollTowards(25, 100, [], 8_000)).toBe(2_000);
  });

  it("converges: each step renders rows closer to the target", () => {
    // 1,000 rows of 80 to 160 px; the list renders what is within 600 px of a 900 px view.
    const heights = Array.from({ length: 1000 }, (_, i) => 80 + ((i * 37) % 81));
    const tops = heights.reduce<number[]>((acc, h, i) => [...acc, (acc[i] ?? 0) + h], [0]);
    const total = tops[1000]!;
    const renderedAt = (scrollTop: number) =>
      heights.flatMap((_, i) => (tops[i + 1]! > scrollTop - 600 && tops[i]! < scrollTop + 1500 ? [{ index: i, top: tops[i]!, bottom: tops[i + 1]! }] : []));
    let scrollTop = total - 900;
    let steps = 0;
    while (!renderedAt(scrollTop).some((row) => row.index === 123) && steps < 10) {
      scrollTop = Math.max(0, scrollTowards(123, 1000, renderedAt(scrollTop), total) - 450);
      steps++;
    }
    expect(renderedAt(scrollTop).some((row) => row.index === 123)).toBe(true);
    expect(steps).toBeLessThanOrEqual(3);
  });
});
