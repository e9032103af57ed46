/** All parts of a split model (`x-00001-of-00003.gguf` …), or just the file. */
export function splitParts(file: string): string[] {
  const match = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i.exec(file);
  if (!match) return [file];
  const total = Number(match[3]);
  return Array.from({ length: total }, (_, i) => `${match[1]}-${String(i + 1).padStart(5, "0")}-of-${match[3]}.gguf`);
}
