import { createHash } from 'crypto';

/**
 * Turns any text into a DNS-1123 label (lower case, dashes, at most `max` characters). Long or
 * lossy names keep a short hash of the original so that different inputs stay different.
 */
export function toDnsLabel(text: string, max = 63): string {
  const slug = text.toLowerCase().replace(/\*/g, 'wildcard').replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (slug.length > 0 && slug.length <= max) {
    return slug;
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const head = slug.slice(0, max - hash.length - 1).replace(/-$/, '');
  return head ? `${head}-${hash}` : `x-${hash}`;
}
