/**
 * @module test/fuzz/run — the long fuzz run: `npm run fuzz -- --runs 1000000 [--seed N]`.
 *
 * The same families and oracle as the CI-sized run (test/fuzz/webhook.test.ts), in one process
 * against the real app through `inject()`: 30 % arbitrary bodies, 40 % mutated real
 * AdmissionReviews, 25 % generated Pods, 5 % heavy Pods, each in enforce or audit mode; the
 * slowest review and the most time per KB of body are kept as figures (never asserted). Progress goes to stderr
 * every 10 s; the summary (runs, time, failures, seed, and the shrunk counterexample of the first
 * failure with the seed and path that replay it) goes to stdout, and as JSON to `--out` if given.
 * The exit code is 1 when a property failed. `--family NAME --seed N --path P` replays one
 * failure (the seed and path the summary prints).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { FAMILIES } from './arbitraries.js';
import { checkAnswer, fuzzApp, send } from './harness.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    out: { type: 'string' },
    family: { type: 'string' },
    path: { type: 'string' },
  },
});

const total = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const SHARES = { arbitrary: 0.3, mutated: 0.4, generated: 0.25, heavy: 0.05 } as const;
const apps = { enforce: fuzzApp('enforce'), audit: fuzzApp('audit') };
const mode = fc.constantFrom('enforce' as const, 'audit' as const);

interface FamilyResult {
  readonly family: string;
  readonly runs: number;
  readonly seed: number;
  readonly failed: boolean;
  readonly seconds: number;
  readonly counterexample?: string;
  readonly error?: string;
  readonly path?: string;
}

let done = 0;
/**
 * The slowest review, and the most time per KB of body among bodies of 64 KB or more, after the
 * first WARM_UP runs (the JIT's first compilations would otherwise be the slowest).
 */
const WARM_UP = 1000;
const slowest = { ms: 0, bytes: 0, msPerKb: 0, perKbBytes: 0 };
function observe(ms: number, bytes: number): void {
  if (done <= WARM_UP) return;
  if (ms > slowest.ms) Object.assign(slowest, { ms, bytes });
  const perKb = ms / (bytes / 1024);
  if (bytes >= 65_536 && perKb > slowest.msPerKb) {
    Object.assign(slowest, { msPerKb: perKb, perKbBytes: bytes });
  }
}
const started = performance.now();
const progress = setInterval(() => {
  const s = (performance.now() - started) / 1000;
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  process.stderr.write(
    `fuzz: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} runs, ${Math.round(done / s)} runs/s, ${Math.round(s)} s, RSS ${rss} MB\n`,
  );
}, 10_000);

async function runFamily(
  family: keyof typeof FAMILIES,
  runs: number,
  familySeed: number,
): Promise<FamilyResult> {
  const t = performance.now();
  const property = fc.asyncProperty(FAMILIES[family], mode, async (request, m) => {
    done += 1;
    const t0 = performance.now();
    const answer = await send(apps[m], request);
    observe(performance.now() - t0, request.body.length);
    checkAnswer(request, answer, m);
  });
  const details = await fc.check(property, {
    numRuns: runs,
    seed: familySeed,
    endOnFailure: false,
    ...(values.path === undefined ? {} : { path: values.path }),
  });
  const seconds = Math.round((performance.now() - t) / 100) / 10;
  if (!details.failed)
    return { family, runs: details.numRuns, seed: familySeed, failed: false, seconds };
  return {
    family,
    runs: details.numRuns,
    seed: familySeed,
    failed: true,
    seconds,
    counterexample:
      details.counterexample === null ? '' : fc.stringify(details.counterexample).slice(0, 2000),
    error: String(details.errorInstance).slice(0, 1000),
    path: details.counterexamplePath ?? '',
  };
}

const results: FamilyResult[] = [];
let offset = 0;
const chosen = (Object.entries(SHARES) as [keyof typeof FAMILIES, number][]).filter(
  ([family]) => values.family === undefined || values.family === family,
);
if (chosen.length === 0)
  throw new Error(`--family must be one of ${Object.keys(SHARES).join(', ')}`);
for (const [index, [family, share]] of chosen.entries()) {
  // One family alone (a replay) gets every run; otherwise the last takes what rounding left.
  const runs =
    chosen.length === 1
      ? total
      : index === chosen.length - 1
        ? total - offset
        : Math.round(total * share);
  offset += runs;
  // A full run gives the families seed, seed+1, seed+2; a replay (--family) uses the seed as given.
  const familySeed =
    values.family === undefined ? seed + Object.keys(SHARES).indexOf(family) : seed;
  process.stderr.write(`fuzz: ${family}: ${runs.toLocaleString('en')} runs, seed ${familySeed}\n`);
  results.push(await runFamily(family, runs, familySeed));
}
clearInterval(progress);
await Promise.all([apps.enforce.close(), apps.audit.close()]);

const seconds = Math.round((performance.now() - started) / 100) / 10;
const summary = {
  runs: results.reduce((s, r) => s + r.runs, 0),
  seconds,
  failures: results.filter((r) => r.failed).length,
  seed,
  node: process.version,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  slowestReviewMs: Math.round(slowest.ms * 10) / 10,
  slowestReviewBytes: slowest.bytes,
  mostMsPerKb: Math.round(slowest.msPerKb * 1000) / 1000,
  mostMsPerKbBytes: slowest.perKbBytes,
  families: results,
};
process.stdout.write(
  [
    '',
    `fuzz: ${summary.runs.toLocaleString('en')} runs in ${seconds} s (${Math.round(summary.runs / seconds)} runs/s), ${summary.failures} failing ${summary.failures === 1 ? 'family' : 'families'}, seed ${seed}, peak RSS ${summary.peakRssMb} MB`,
    `  slowest review ${summary.slowestReviewMs} ms (${summary.slowestReviewBytes} bytes); most time per KB ${summary.mostMsPerKb} ms (a ${summary.mostMsPerKbBytes}-byte body)`,
    ...results.map(
      (r) =>
        `  ${r.family.padEnd(10)} ${r.runs.toLocaleString('en').padStart(10)} runs  ${String(r.seconds).padStart(7)} s  seed ${r.seed}  ${r.failed ? `FAILED (replay: npm run fuzz -- --family ${r.family} --seed ${r.seed} --path ${r.path ?? ''})\n    ${r.error ?? ''}\n    ${r.counterexample ?? ''}` : 'ok'}`,
    ),
    '',
  ].join('\n'),
);
if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = summary.failures > 0 ? 1 : 0;
