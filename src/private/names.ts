import { createHash } from 'crypto';

/**
 * Turns any text into a DNS-1123 label (lower case, dashes, at most `max` characters). Long or
 * lossy names keep a short hash of the original so that different inputs stay different.
 */
export function toDnsLabel(text: string, max = 63): string {
  const slug = slugOf(text);
  if (slug.length > 0 && slug.length <= max) {
    return slug;
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const head = slug.slice(0, max - hash.length - 1).replace(/-$/, '');
  return head ? `${head}-${hash}` : `x-${hash}`;
}

/**
 * The text lower-cased, each `*` spelled `wildcard`, every run of other characters (dashes included)
 * one dash, and no dash at either end. One pass: every object name of every construct comes here.
 */
function slugOf(text: string): string {
  const lower = text.toLowerCase();
  let slug = '';
  let dash = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 42) {
      slug += 'wildcard';
      dash = false;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      slug += lower[i];
      dash = false;
    } else if (!dash) {
      slug += '-';
      dash = true;
    }
  }
  const start = slug.startsWith('-') ? 1 : 0;
  const end = slug.length > start && slug.endsWith('-') ? slug.length - 1 : slug.length;
  return slug.slice(start, end);
}
