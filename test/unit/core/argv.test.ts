// The one argv reader: every form of a flag reads the same value, in argv and in scripts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flagHits, flagValue, hasFlag } from '../../../src/core/argv.js';
import { splitScript } from '../../../src/core/shell-words.js';

const longFlag = fc.constantFrom(
  '--port',
  '--requirepass',
  '--masterauth',
  '--bind',
  '--tls-port',
  '--configsvr',
);
const value = fc.stringMatching(/^[A-Za-z0-9$()_./:-]{1,12}$/).filter((v) => !v.startsWith('-'));

/** Every way a long flag and its value can be written (Redis re-splits one-word `--f v`). */
const forms = (flag: string, v: string): string[][] => [
  [flag, v],
  [`${flag}=${v}`],
  [`${flag} ${v}`],
  [`${flag.slice(2)} ${v}`],
];

describe('the argv reader', () => {
  it('reads the same value from every form of a long flag, anywhere in the words', () => {
    fc.assert(
      fc.property(
        longFlag,
        value,
        fc.nat(3),
        fc.array(fc.constantFrom('--appendonly', 'yes', '--save', '60'), { maxLength: 4 }),
        (flag, v, form, noise) => {
          const words = [...noise, ...(forms(flag, v)[form] ?? [])];
          expect(flagValue(words, [flag])).toBe(v);
          expect(hasFlag(words, [flag])).toBe(true);
        },
      ),
    );
  });

  it('reads the same value from a flag inside a sh -c script, quoted or not', () => {
    fc.assert(
      fc.property(longFlag, value, fc.nat(2), (flag, v, form) => {
        const word = (forms(flag, v)[form] ?? []).map((w) => `'${w}'`).join(' ');
        const { words } = splitScript(`set -e; exec redis-server ${word}`);
        expect(flagValue(words, [flag])).toBe(v);
      }),
    );
  });

  it('lets the last occurrence win, and sees all of them', () => {
    expect(flagValue(['--port', '1', '--port=2', '--port 3'], ['--port'])).toBe('3');
    expect(flagHits(['--port', '1', '--port=2'], ['--port']).map((h) => h.value)).toEqual([
      '1',
      '2',
    ]);
  });

  it('reads single-letter flags glued to digits or a variable, and nothing else', () => {
    expect(flagValue(['-p5433'], ['-p'])).toBe('5433');
    expect(flagValue(['-p$PORT'], ['-p'])).toBe('$PORT');
    expect(flagValue(['-print'], ['-p'])).toBeUndefined();
    expect(flagValue(['-p', '5434'], ['-p'])).toBe('5434');
  });

  it('does not take a word that merely starts like a flag for it', () => {
    expect(hasFlag(['--portable'], ['--port'])).toBe(false);
    expect(flagValue(['--portable=1'], ['--port'])).toBeUndefined();
    expect(hasFlag(['skip-networking'], ['--skip-networking'])).toBe(false);
  });
});
