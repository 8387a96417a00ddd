import { describe, expect, it } from 'vitest';
import { DOC_HEADER, median, minimum, p95, percentile, ratio, summarise, upsertSection } from './harness.ts';

describe('statistics', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 10, 10], 10],
    [[1, 100, 2, 3, 4], 3],
  ])('median of %j is %d', (xs, expected) => {
    expect(median(xs)).toBe(expected);
  });

  it.each([
    [Array.from({ length: 100 }, (_, i) => i + 1), 95],
    [Array.from({ length: 20 }, (_, i) => 20 - i), 19],
    [Array.from({ length: 10 }, (_, i) => i + 1), 10],
    [[7], 7],
    [[1, 2], 2],
  ])('p95 of %j is %d', (xs, expected) => {
    expect(p95(xs)).toBe(expected);
  });

  it.each([
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 100, 4],
    [[1, 2, 3, 4], 1, 1],
  ])('percentile of %j at %d is %d', (xs, p, expected) => {
    expect(percentile(xs, p)).toBe(expected);
  });

  it.each([
    [10, 2, 5],
    [2, 2, 1],
    [1, 4, 0.25],
    [0, 0, 1],
    [3, 0, Number.POSITIVE_INFINITY],
  ])('ratio %d / %d is %d', (value, baseline, expected) => {
    expect(ratio(value, baseline)).toBe(expected);
  });

  it('refuses to summarise nothing, and does not reorder its input', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    const xs = [3, 1, 2];
    expect(minimum(xs)).toBe(1);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('summarises a case against the baseline median', () => {
    expect(summarise('list', [4, 2, 6, 8], 2.5, false)).toEqual({ name: 'list', baseline: false, samples: 4, medianMs: 5, p95Ms: 8, minMs: 2, ratio: 2 });
  });
});

describe('the results document', () => {
  const section = (name: string, body: string) => `<!-- bench:${name}:start -->\n## ${name}\n${body}\n<!-- bench:${name}:end -->`;

  it('starts a new document with the header', () => {
    const doc = upsertSection('', 'a', section('a', 'one'));
    expect(doc.startsWith(DOC_HEADER)).toBe(true);
    expect(doc).toContain('## a\none');
  });

  it('replaces its own section and keeps the others', () => {
    let doc = upsertSection('', 'a', section('a', 'one'));
    doc = upsertSection(doc, 'b', section('b', 'two'));
    doc = upsertSection(doc, 'a', section('a', 'three'));
    expect(doc).toContain('## a\nthree');
    expect(doc).not.toContain('one');
    expect(doc).toContain('## b\ntwo');
    expect(doc.indexOf('## a')).toBeLessThan(doc.indexOf('## b'));
  });
});
