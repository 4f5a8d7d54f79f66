import { describe, expect, it } from 'vitest';
import LIMITS from '../../shared-model/src/main/resources/dev/devtime/model/api/import-limits.json';
import { IMPORT_LIMITS, importParts, sendParts, sumCounts } from './importer';

const beats = (n: number, day: string) =>
  Array.from({ length: n }, (_, i) => ({
    entity: `/f${i}`,
    time: Date.parse(`${day}T09:00:00Z`) / 1000 + i,
    type: 'file',
  }));

describe('importParts', () => {
  it('splits a wakatime.com dump by whole days, keeping the dump fields in every part', () => {
    const dump = {
      user: { username: 'me' },
      range: { start: 1, end: 2 },
      days: [
        { date: '2024-01-01', heartbeats: beats(6, '2024-01-01') },
        { date: '2024-01-02', heartbeats: beats(3, '2024-01-02') },
        { date: '2024-01-03', heartbeats: beats(4, '2024-01-03') },
      ],
    };
    const parts = importParts(dump, 10).map((p) => JSON.parse(p));
    expect(parts.map((p) => p.days.map((d: { date: string }) => d.date))).toEqual([
      ['2024-01-01', '2024-01-02'],
      ['2024-01-03'],
    ]);
    expect(parts.every((p) => p.user.username === 'me')).toBe(true);
    const all = parts.flatMap((p) => p.days.flatMap((d: { heartbeats: unknown[] }) => d.heartbeats));
    expect(all).toHaveLength(13);
  });

  it('slices one day that is larger than a part', () => {
    const dump = { days: [{ date: '2024-01-01', heartbeats: beats(25, '2024-01-01') }] };
    const parts = importParts(dump, 10).map((p) => JSON.parse(p));
    expect(parts.map((p) => p.days[0].heartbeats.length)).toEqual([10, 10, 5]);
    expect(parts.every((p) => p.days[0].date === '2024-01-01')).toBe(true);
  });

  it('slices a DevTime export and a bare array, in order, each heartbeat once', () => {
    const list = beats(23, '2024-02-01');
    const exportParts = importParts({ heartbeats: list, days: undefined, next: null }, 10).map((p) => JSON.parse(p));
    expect(exportParts.map((p) => p.heartbeats.length)).toEqual([10, 10, 3]);
    expect(exportParts.flatMap((p) => p.heartbeats)).toEqual(list);
    expect(importParts(list, 10).map((p) => JSON.parse(p).length)).toEqual([10, 10, 3]);
  });

  it("takes the server's limits, so a file of as many heartbeats as one request holds goes in one request", () => {
    expect(IMPORT_LIMITS).toEqual(LIMITS);
    expect(importParts(beats(LIMITS.maxHeartbeats, '2024-03-01'))).toHaveLength(1);
    expect(importParts(beats(LIMITS.maxHeartbeats + 1, '2024-03-01')).map((p) => JSON.parse(p).length)).toEqual([
      LIMITS.maxHeartbeats,
      1,
    ]);
  });

  it('halves a part until its body fits the byte limit, keeping every heartbeat once and in order', () => {
    const list = beats(40, '2024-04-01');
    const bytes = (p: string) => new TextEncoder().encode(p).length;
    const parts = importParts({ heartbeats: list }, 100, 1000);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => bytes(p) <= 1000)).toBe(true);
    expect(parts.flatMap((p) => JSON.parse(p).heartbeats)).toEqual(list);

    const dump = {
      user: { username: 'me' },
      days: [
        { date: '2024-04-01', heartbeats: beats(6, '2024-04-01') },
        { date: '2024-04-02', heartbeats: beats(30, '2024-04-02') },
      ],
    };
    const dayParts = importParts(dump, 100, 1200);
    expect(dayParts.every((p) => bytes(p) <= 1200)).toBe(true);
    const days = dayParts.map((p) => JSON.parse(p)).flatMap((p) => p.days);
    expect([...new Set(days.map((d: { date: string }) => d.date))]).toEqual(['2024-04-01', '2024-04-02']);
    expect(days.flatMap((d: { heartbeats: unknown[] }) => d.heartbeats)).toEqual(
      dump.days.flatMap((d) => d.heartbeats),
    );
  });

  it('sends anything else as it is, for the server to explain', () => {
    expect(importParts({ hello: 'world' })).toEqual(['{"hello":"world"}']);
  });
});

describe('sumCounts', () => {
  it("adds up the parts' answers", () => {
    const answer = {
      accepted: 3,
      refused: 1,
      errors: [{ index: 4, error: 'time is required' }],
      aggregating: true,
      message: 'x',
    };
    expect(sumCounts([answer, { ...answer, accepted: 2, refused: 0, errors: [] }])).toEqual({
      accepted: 5,
      refused: 1,
    });
  });
});

describe('sendParts', () => {
  it('sends a part the server paces again after its Retry-After, and the others once, in order', async () => {
    const sent: string[] = [];
    const waits: number[] = [];
    let refusals = 2;
    const upload = async (part: string) => {
      sent.push(part);
      if (part === 'b' && refusals > 0) {
        refusals--;
        throw Object.assign(new Error('imports are limited'), { status: 429, retryAfterSeconds: 7 });
      }
      return { accepted: 1, refused: 0, errors: [], aggregating: true, message: `${part} queued` };
    };
    const answers = await sendParts(
      ['a', 'b', 'c'],
      upload,
      () => {},
      async (s) => {
        waits.push(s);
      },
    );
    expect(sent).toEqual(['a', 'b', 'b', 'b', 'c']);
    expect(waits).toEqual([7, 7]);
    expect(answers.map((a) => a.message)).toEqual(['a queued', 'b queued', 'c queued']);
  });

  it('stops at any other error', async () => {
    const upload = async () => {
      throw Object.assign(new Error('bad file'), { status: 400 });
    };
    await expect(
      sendParts(
        ['a'],
        upload,
        () => {},
        async () => {},
      ),
    ).rejects.toThrow('bad file');
  });
});
