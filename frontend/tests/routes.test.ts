import { describe, expect, it } from 'vitest';
import { countOf, formatMillis, formatTimestamp } from '../src/format';
import { hrefFor, parseRoute, type Route } from '../src/hooks/useRoute';

describe('routes', () => {
  it.each<[string, Route]>([
    ['', { page: 'library' }],
    ['#/', { page: 'library' }],
    ['#/assets/a%201', { page: 'asset', id: 'a 1' }],
    ['#/webhooks', { page: 'webhooks' }],
    ['#/webhooksx', { page: 'library' }],
    ['#/nowhere', { page: 'library' }],
  ])('%s -> %j', (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it('hrefFor and parseRoute agree', () => {
    for (const route of [{ page: 'library' }, { page: 'asset', id: 'x/y' }, { page: 'webhooks' }] as Route[]) {
      expect(parseRoute(hrefFor(route))).toEqual(route);
    }
  });
});

describe('delivery log formats', () => {
  it.each([
    [0, '0 ms'],
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1530, '1.53 s'],
    [5000, '5 s'],
    [12_340, '12.3 s'],
    [undefined, '–'],
    [-1, '–'],
  ])('%s ms -> %s', (ms, text) => expect(formatMillis(ms)).toBe(text));

  it('counts attempts', () => {
    expect(countOf(1, 'attempt')).toBe('1 attempt');
    expect(countOf(3, 'attempt')).toBe('3 attempts');
    expect(countOf(0, 'attempt')).toBe('0 attempts');
  });

  it('shows seconds, and the year only when it is not this one', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const thisYear = formatTimestamp('2026-03-01T10:05:07Z', now);
    expect(thisYear).toMatch(/:07/);
    expect(thisYear).not.toContain('2026');
    expect(formatTimestamp('2025-03-01T10:05:07Z', now)).toContain('2025');
    expect(formatTimestamp('not a time', now)).toBe('–');
    expect(formatTimestamp(null, now)).toBe('–');
  });
});
