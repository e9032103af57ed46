/** Memory sizes for messages a user reads: "5.4 GiB", "12 GiB", "38 MiB". */
export function formatMemory(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  if (gib < 0.1) return `${Math.max(1, Math.round(bytes / 1024 ** 2))} MiB`;
  return `${gib >= 10 ? gib.toFixed(0) : gib.toFixed(1)} GiB`;
}
