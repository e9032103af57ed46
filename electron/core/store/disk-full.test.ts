import os from "node:os";
import { describe, expect, it } from "vitest";
import { AppError } from "../../contract/index.js";
import { asDiskFull, isDiskFull, reportDiskFullAsAppError } from "./disk-full.js";

const sqliteError = (code: string) => Object.assign(new Error("database or disk is full"), { code });

describe("disk full mapping", () => {
  it("maps SQLite's and Node's no-space codes to DISK_FULL, also when they are the cause", () => {
    for (const code of ["SQLITE_FULL", "ENOSPC", "EDQUOT"]) {
      const mapped = asDiskFull(sqliteError(code));
      expect(mapped).toBeInstanceOf(AppError);
      expect(mapped).toMatchObject({ code: "DISK_FULL", retryable: true });
      expect((mapped as AppError).message).toMatch(/free some disk space/i);
    }
    expect(isDiskFull(new Error("write failed", { cause: sqliteError("ENOSPC") }))).toBe(true);
  });

  it("leaves other errors alone; an I/O error counts as no space only when the disk is nearly full", () => {
    const busy = sqliteError("SQLITE_BUSY");
    expect(asDiskFull(busy)).toBe(busy);
    const ioError = sqliteError("SQLITE_IOERR_SHMSIZE");
    expect(asDiskFull(ioError)).toBe(ioError);
    // The temporary folder has room, so an I/O error there is not a full disk (a full one: test/integration/disk-full.test.ts).
    expect(asDiskFull(ioError, os.tmpdir())).toBe(ioError);
  });

  it("makes every method of an object report a full disk as DISK_FULL and nothing else", () => {
    class Repo {
      full(): void {
        throw sqliteError("SQLITE_FULL");
      }
      busy(): void {
        throw sqliteError("SQLITE_BUSY");
      }
      value(n: number): number {
        return n * 2;
      }
    }
    const repo = new Repo();
    reportDiskFullAsAppError(repo, os.tmpdir());
    expect(() => repo.full()).toThrow(expect.objectContaining({ code: "DISK_FULL" }));
    expect(() => repo.busy()).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    expect(repo.value(21)).toBe(42);
  });
});
