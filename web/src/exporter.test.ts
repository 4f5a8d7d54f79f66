import { describe, expect, it } from 'vitest';
import { exportCsv, exportJson, type Page } from './exporter';

/** Serves canned pages keyed by cursor, recording which cursors were asked for. */
function pages(map: Record<string, Page>) {
  const asked: (string | null)[] = [];
  return {
    asked,
    fetch: async (cursor: string | null) => {
      asked.push(cursor);
      const p = map[cursor ?? ''];
      if (!p) throw new Error(`unexpected cursor ${cursor}`);
      return p;
    },
  };
}

describe('exportJson', () => {
  it('follows next and concatenates heartbeats and days in order', async () => {
    const p = pages({
      '': {
        text: JSON.stringify({ heartbeats: [{ id: 'a' }, { id: 'b' }], days: [], next: 'c1' }),
        headerCursor: null,
      },
      c1: {
        text: JSON.stringify({ heartbeats: [{ id: 'c' }], days: [{ date: '2026-11-21' }], next: 'c2' }),
        headerCursor: null,
      },
      c2: { text: JSON.stringify({ heartbeats: [], days: [{ date: '2026-11-22' }], next: null }), headerCursor: null },
    });
    const seen: number[] = [];
    const out = await exportJson(p.fetch, (n) => seen.push(n));
    expect(out).toEqual({
      heartbeats: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      days: [{ date: '2026-11-21' }, { date: '2026-11-22' }],
    });
    expect(p.asked).toEqual([null, 'c1', 'c2']);
    expect(seen).toEqual([1, 2, 3]);
  });
  it('refuses a page that is not an export page', async () => {
    const p = pages({ '': { text: '{"heartbeats":[{"id":"x"}]}', headerCursor: null } });
    await expect(exportJson(p.fetch)).rejects.toThrow('GET /api/export.days: missing');
  });
});

describe('exportCsv', () => {
  it('follows X-Next-Cursor and keeps the one header row', async () => {
    const p = pages({
      '': { text: 'id,project\n1,alpha\n', headerCursor: 'k' },
      k: { text: '2,beta', headerCursor: null },
    });
    expect(await exportCsv(p.fetch)).toBe('id,project\n1,alpha\n2,beta\n');
    expect(p.asked).toEqual([null, 'k']);
  });
});
