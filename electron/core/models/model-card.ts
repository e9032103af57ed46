import type { GgufSummary } from "./inspect-gguf.js";

/** A model card for a file that is not in the catalog: what we know from its repository and its GGUF header. */
export function cardForDownload(input: { repo: string; fileName: string; summary: GgufSummary; endpoint: string }): string {
  const { repo, fileName, summary } = input;
  const params = summary.parameters ? `${(summary.parameters / 1e9).toFixed(summary.parameters < 1e9 ? 2 : 1)}B` : "unknown";
  return [
    `# ${summary.name}`,
    "",
    `Downloaded from \`${repo}\` (${input.endpoint.replace(/\/+$/, "")}/${repo}), file \`${fileName}\`.`,
    "This model is not in Hearth's curated catalog: read its repository's model card for its license,",
    "intended use and known limitations before relying on it.",
    "",
    "| | |",
    "|---|---|",
    `| Architecture | ${summary.architecture} |`,
    `| Parameters | ${params} |`,
    `| Quantization | ${summary.quantization ?? "unknown"} |`,
    `| Trained context | ${summary.trainContextLength ?? "unknown"} tokens |`,
    `| Chat template | ${summary.hasChatTemplate ? "yes" : "no"} |`,
    "",
    "Hearth verified the file's sha256 against the repository's own record before adding it.",
    "",
  ].join("\n");
}
