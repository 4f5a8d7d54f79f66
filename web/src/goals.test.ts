import { describe, expect, it } from 'vitest';
import { emptyForm, formOf, goalBody, parseGoals, toggledBody } from './goals';

const answer = {
  data: [
    {
      id: 'g1',
      title: 'Code 1 hr per day on alpha',
      custom_title: null,
      delta: 'day',
      seconds: 3600,
      is_enabled: true,
      ignore_days: ['sunday'],
      projects: ['alpha'],
      languages: [],
      editors: ['VS Code'],
      categories: [],
      status: 'pending',
      chart_data: [],
      progress: {
        period_start: '2026-12-04',
        period_end: '2026-12-04',
        actual_seconds: 1200,
        goal_seconds: 3600,
        percent: 33,
        streak: 4,
      },
    },
  ],
  total: 1,
  total_pages: 1,
};

describe('goals', () => {
  it('reads the goals list with its progress', () => {
    const [g, ...rest] = parseGoals(answer);
    expect(rest).toEqual([]);
    expect(g).toMatchObject({
      id: 'g1',
      delta: 'day',
      enabled: true,
      actualSeconds: 1200,
      goalSeconds: 3600,
      percent: 33,
      streak: 4,
    });
    expect(() => parseGoals({})).toThrow('GET /api/goals.data: missing');
    expect(() => parseGoals({ data: [{ ...answer.data[0], delta: 'month' }] })).toThrow('delta month');
  });

  it('writes the form as the API body, keeping filters the form does not show', () => {
    const [g] = parseGoals(answer);
    const f = formOf(g!);
    expect(f).toMatchObject({ hours: 1, minutes: 0, projects: 'alpha', ignoreDays: ['sunday'] });
    expect(goalBody({ ...f, minutes: 30, languages: ' Java, Go ,' }, g)).toEqual({
      delta: 'day',
      seconds: 5400,
      projects: ['alpha'],
      languages: ['Java', 'Go'],
      editors: ['VS Code'],
      categories: [],
      ignore_days: ['sunday'],
      is_enabled: true,
    });
    expect(toggledBody(g!).is_enabled).toBe(false);
    // A weekly goal skips no weekdays.
    expect(goalBody({ ...emptyForm(), delta: 'week', ignoreDays: ['monday'], title: ' Ten ' })).toMatchObject({
      ignore_days: [],
      title: 'Ten',
    });
  });
});
