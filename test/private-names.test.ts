/**
 * The object names the constructs derive from hosts and ids (src/private/names.ts): DNS-1123 labels, with a short
 * hash of the original text when the text is too long or has nothing left to keep, so that different inputs stay
 * different. The survivors of the constructs' first mutation run asked for these cases.
 */
import * as fc from 'fast-check';
import { toDnsLabel } from '../src/private/names';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('toDnsLabel', () => {
  test('lower-cases the text, spells out `*`, and turns every run of other characters into one dash', () => {
    expect(toDnsLabel('*.Example.COM')).toBe('wildcard-example-com');
    expect(toDnsLabel('api..example__com')).toBe('api-example-com');
    expect(toDnsLabel('a--b')).toBe('a-b');
  });

  test('drops dashes at either end', () => {
    expect(toDnsLabel('-api-')).toBe('api');
    expect(toDnsLabel('.api.')).toBe('api');
  });

  test('keeps a label of exactly the maximum length as it is, and hashes one character more', () => {
    const longest = 'a'.repeat(63);
    expect(toDnsLabel(longest)).toBe(longest);
    expect(toDnsLabel('a'.repeat(64))).toMatch(/^a{54}-[0-9a-f]{8}$/);
  });

  test('a long text keeps its head (dashes inside it too) and a hash of the whole text', () => {
    const text = `abc-${'x'.repeat(70)}`;
    const name = toDnsLabel(text);

    expect(name).toMatch(DNS_LABEL);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('abc-xxx')).toBe(true);
    expect(name).not.toBe(toDnsLabel(`abc-${'x'.repeat(71)}`));
  });

  test('a head cut at a dash loses the dash, not the one before it', () => {
    // The slug's first 54 characters end in a dash: it is dropped before the hash is added.
    const text = `ab-${'c'.repeat(50)}-${'d'.repeat(20)}`;
    const name = toDnsLabel(text);

    expect(name).toMatch(/^ab-c{50}-[0-9a-f]{8}$/);
  });

  test('a text with nothing to keep becomes `x-` and a hash, different for different texts', () => {
    expect(toDnsLabel('!!!')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(toDnsLabel('???')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(toDnsLabel('!!!')).not.toBe(toDnsLabel('???'));
  });
});

describe('toDnsLabel in one pass', () => {
  /** The rules of the name as four replacements: what the one pass must give. */
  const byReplacements = (text: string) => text.toLowerCase().replace(/\*/g, 'wildcard').replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-').replace(/^-|-$/g, '');

  test('gives what the replacements give, for any text of hosts, ids and odd characters', () => {
    const characters = fc.constantFrom(...'aZ9-.*_ /:-İß\u{1F600}');
    fc.assert(fc.property(fc.array(characters, { maxLength: 90 }).map(cs => cs.join('')), text => {
      const slug = byReplacements(text);
      const expected = slug.length > 0 && slug.length <= 63 ? slug : undefined;
      const name = toDnsLabel(text);
      if (expected !== undefined) {
        expect(name).toBe(expected);
      } else {
        expect(name.startsWith(slug.slice(0, 54).replace(/-$/, '') || 'x')).toBe(true);
      }
    }), { numRuns: 2000 });
  });
});
