import { describe, expect, it } from "vitest";
import { apgrRouteLLM, callsToReach, pgrCurve, routingMetrics, type RoutedItem } from "./metrics.js";

const item = (score: number, weak: number, strong: number): RoutedItem => ({ score, weak, strong });

describe("routing metrics", () => {
  it("gives an oracle that routes the gains first the best area", () => {
    // 2 gains, 2 neutral: the oracle recovers everything by 50% strong calls.
    const items = [item(0.9, 0, 1), item(0.8, 0, 1), item(0.2, 1, 1), item(0.1, 0, 0)];
    const m = routingMetrics(items);
    // PGR at 0, 25, 50, 75, 100% strong calls: 0, 0.5, 1, 1, 1.
    expect(m.apgr).toBeCloseTo(0.25 * 0.25 + 0.25 * 0.75 + 0.25 + 0.25, 10);
    expect(m.cpt50).toBeCloseTo(0.25, 10);
    expect(m.cpt80).toBeCloseTo(0.25 + 0.25 * 0.6, 10);
    expect(m.weakQuality).toBe(0.25);
    expect(m.strongQuality).toBe(0.75);
  });

  it("scores a router that puts the gains last below a random one", () => {
    const items = [item(0.1, 0, 1), item(0.2, 0, 1), item(0.8, 1, 1), item(0.9, 0, 0)];
    expect(routingMetrics(items).apgr).toBeLessThan(0.5);
  });

  it("does not let ties inflate the metric: a constant score is exactly random (0.5)", () => {
    const items = Array.from({ length: 50 }, (_, i) => item(0.5, i % 3 === 0 ? 1 : 0, i % 2 === 0 ? 1 : 0));
    const m = routingMetrics(items);
    expect(m.apgr).toBeCloseTo(0.5, 12);
    expect(m.cpt50).toBeCloseTo(0.5, 12);
    expect(m.cpt80).toBeCloseTo(0.8, 12);
  });

  it("averages within a tie group whatever the input order", () => {
    const a = [item(1, 0, 1), item(0.5, 0, 1), item(0.5, 1, 1), item(0.5, 1, 0), item(0, 0, 0)];
    const b = [a[3]!, a[1]!, a[4]!, a[2]!, a[0]!];
    expect(routingMetrics(a).apgr).toBeCloseTo(routingMetrics(b).apgr, 12);
  });

  it("counts a weak-only win against the router (PGR can dip below 0 and exceed 1)", () => {
    const curve = pgrCurve([item(0.9, 1, 0), item(0.5, 0, 1), item(0.4, 0, 1)])!;
    expect(curve.pgr[1]).toBeCloseTo(-1, 12);
    expect(curve.pgr[curve.pgr.length - 1]).toBeCloseTo(1, 12);
    expect(callsToReach(curve, 0.5)).toBeCloseTo(2 / 3 + 0.5 / 3, 12);
  });

  it("uses judge scores as quality (MT-Bench)", () => {
    const m = routingMetrics([item(0.9, 2, 8), item(0.1, 9, 10)]);
    expect(m.weakQuality).toBe(5.5);
    // 6 of the 7 points of gap come with the first call.
    expect(m.apgr).toBeCloseTo(0.5 * (6 / 7) / 2 + 0.5 * (6 / 7 + 1) / 2, 12);
  });

  it("returns NaN when there is no gap to recover", () => {
    expect(Number.isNaN(routingMetrics([item(1, 1, 1), item(0, 1, 0)]).apgr)).toBe(true);
  });

  it("RouteLLM's 10-bin discretisation agrees with the exact area on a large random-free ranking", () => {
    const items = Array.from({ length: 1000 }, (_, i) => item(i / 1000, 0, i % 4 === 0 || i > 800 ? 1 : 0));
    expect(apgrRouteLLM(items)).toBeCloseTo(routingMetrics(items).apgr, 2);
  });
});
