// The review budget: the configured limit, or the apiserver's ?timeout= minus a margin if shorter.
import { describe, expect, it } from 'vitest';
import { apiserverTimeoutMs, budgetMs } from '../../src/server/deadline.js';

describe('budgetMs', () => {
  it.each<[unknown, number]>([
    [{}, 2000],
    [{ timeout: '10s' }, 2000],
    [{ timeout: '2s' }, 1750],
    [{ timeout: '1s' }, 750],
    [{ timeout: '0s' }, 0],
    [{ timeout: '1m' }, 2000],
    [{ timeout: ['1s', '2s'] }, 2000],
    [null, 2000],
  ])('with query %j allows %i ms', (query, expected) => {
    expect(budgetMs(2000, query)).toBe(expected);
  });

  it('reads the Go duration the apiserver appends', () => {
    expect(apiserverTimeoutMs({ timeout: '30s' })).toBe(30_000);
    expect(apiserverTimeoutMs({ timeout: '30' })).toBeUndefined();
  });
});
