// Owns each subsystem's colour: stable per name (well-known names get the house colours), so panel and window agree.
const KNOWN: Record<string, string> = { linux: '#f5a524', windows: '#3b9eff' };

export function colourOf(name: string): string {
  const known = KNOWN[name];
  if (known !== undefined) return known;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 70% 60%)`;
}
