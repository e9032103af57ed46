import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { methodNames } from "../../contract/index.js";

/** Every `<domain>-handlers.ts` here and the handler maps its factories make (core.ts spreads them into one). */
async function domains(): Promise<Map<string, string[]>> {
  const files = fs.readdirSync(new URL(".", import.meta.url)).filter((name) => /^[a-z-]+-handlers\.ts$/.test(name));
  const methodsOf = new Map<string, string[]>();
  for (const file of files) {
    const module = (await import(`./${file.replace(/\.ts$/, ".js")}`)) as Record<string, unknown>;
    for (const [name, factory] of Object.entries(module)) {
      if (!name.endsWith("Handlers") || typeof factory !== "function") continue;
      // Making a domain's handlers touches none of its services, so empty stand-ins are enough to read the keys.
      const handlers = (factory as (...deps: unknown[]) => object)({}, {}, () => {});
      methodsOf.set(`${file}: ${name}`, Object.keys(handlers));
    }
  }
  return methodsOf;
}

describe("handlers per domain", () => {
  it("every contract method is handled in exactly one domain file, none in core.ts itself", async () => {
    const found = await domains();
    expect(found.size).toBeGreaterThanOrEqual(9);
    const owners = new Map<string, string[]>();
    for (const [domain, methods] of found) for (const method of methods) owners.set(method, [...(owners.get(method) ?? []), domain]);
    // core.ts spreads the maps: a method in two domains would silently take the second one's handler.
    expect([...owners].filter(([, list]) => list.length > 1)).toEqual([]);
    expect([...owners.keys()].sort()).toEqual([...methodNames].sort());
  });
});
