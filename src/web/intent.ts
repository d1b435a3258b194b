// Owns the intent bar's words for now: the literal commands "show <vm> desktop" and "hide <vm>"; anything else is out of scope.
export type Intent = { readonly kind: 'show'; readonly vm: string } | { readonly kind: 'hide'; readonly vm: string } | { readonly kind: 'unknown' };

export const OUT_OF_SCOPE = 'I can only show or hide a subsystem for now — try “show linux desktop” or “hide linux”.';

export function parseIntent(untrustedText: string): Intent {
  const words = untrustedText.trim().toLowerCase().split(/\s+/);
  if (words.length === 3 && words[0] === 'show' && words[2] === 'desktop' && words[1]) return { kind: 'show', vm: words[1] };
  if (words.length === 2 && words[0] === 'hide' && words[1]) return { kind: 'hide', vm: words[1] };
  return { kind: 'unknown' };
}
