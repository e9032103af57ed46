import { MAX_API_ACTIVITY, type ApiActivityEntry } from "../../contract/api-server.js";

/**
 * Which program used the local model, when, and how much: every request, in memory only, the newest
 * `MAX_API_ACTIVITY`. No payload is kept (nothing leaves the machine, so this is not the egress audit).
 */
export class ApiActivity {
  private readonly entries: ApiActivityEntry[] = [];
  private nextId = 1;

  constructor(private readonly limit = MAX_API_ACTIVITY) {}

  record(entry: Omit<ApiActivityEntry, "id">): ApiActivityEntry {
    const full = { ...entry, id: this.nextId++ };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** Newest first. */
  list(limit = this.limit): ApiActivityEntry[] {
    return this.entries.slice(-limit).reverse();
  }

  get size(): number {
    return this.entries.length;
  }
}
