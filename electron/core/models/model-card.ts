import type { GgufSummary } from "./inspect-gguf.js";

/** A model card for a file that is not in the catalog: what we know from its repository and its GGUF header. */
export function cardForDownload(input: { repo: string; fileName: string; summary: GgufSummary; endpoint: string }): string {
  const { repo, fileName, summary } = input;
  const params = formatParameters(summary.parameters);
  return [
    `# ${summary.name}`,
    "",
    `Downloaded from \`${repo}\` (${input.endpoint.replace(/\/+$/, "")}/${repo}), file \`${fileName}\`.`,
    "This model is not in Hearth's curated catalog: read its repository's model card for its license,",
    "intended use and known limitations before relying on it.",
    "",
    `- **Architecture:** ${summary.architecture}`,
    `- **Parameters:** ${params}`,
    `- **Quantization:** ${summary.quantization ?? "unknown"}`,
    `- **Trained context:** ${summary.trainContextLength ? `${summary.trainContextLength} tokens` : "unknown"}`,
    `- **Chat template:** ${summary.hasChatTemplate ? "yes" : "no (Hearth uses a generic chat format)"}`,
    "",
    "Hearth verified the file's sha256 against the repository's own record before adding it.",
    "",
  ].join("\n");
}

/** 292800 → "293K", 1_240_000_000 → "1.2B". */
export function formatParameters(parameters: number | null): string {
  if (!parameters) return "unknown";
  if (parameters >= 1e9) return `${(parameters / 1e9).toFixed(1)}B`;
  if (parameters >= 1e6) return `${(parameters / 1e6).toFixed(0)}M`;
  return `${(parameters / 1e3).toFixed(0)}K`;
}
