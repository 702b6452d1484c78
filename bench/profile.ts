/**
 * @module bench/profile — `npm run bench -- --profile`: run `autoprobe serve` under
 * `node --cpu-prof` at a fixed load over the mixed corpus, stop it, and write next to the
 * profile a summary of the hot functions and packages, the folded stacks and an SVG flame graph
 * (bench/.cache/profile/).
 */
import { readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, fixedCorpus, mixedCorpus } from './corpus.js';
import { formatSummary, readProfile, summarise } from './lib/cpuprofile.js';
import { renderFlameGraph } from './lib/flamegraph.js';
import { fixedRate } from './lib/load.js';
import { startAutoprobe, writeTls } from './lib/servers.js';
import { requestsOf, targetOf } from './server-bench.js';

/** Options of runProfile. */
export interface ProfileOptions {
  readonly seed: number;
  readonly pinned: boolean;
  readonly log: (line: string) => void;
  readonly rate?: number;
  readonly seconds?: number;
  /** Profile Pods of exactly this many containers instead of the mixed corpus. */
  readonly containers?: number;
}

/** runProfile profiles one run and writes the summary files; it returns the summary text. */
export async function runProfile(options: ProfileOptions): Promise<string> {
  const dir = join(CACHE_DIR, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tls = await writeTls(dir);
  const server = await startAutoprobe({
    tls,
    dir,
    ...(options.pinned ? { cpu: '0' } : {}),
    logFile: join(dir, 'autoprobe.log'),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  const target = targetOf(server, tls);
  const corpus =
    options.containers === undefined
      ? mixedCorpus(2000, options.seed)
      : fixedCorpus(options.containers, 2000, options.seed);
  const requests = requestsOf(target, corpus);
  const rate = options.rate ?? 1000;
  const seconds = options.seconds ?? 20;
  options.log(`profile: ${rate}/s for ${seconds} s`);
  const load = await fixedRate(target, requests, { rate, durationS: seconds, connections: 32 });
  options.log(
    `profile: p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, failed ${load.failed}`,
  );
  await server.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('no .cpuprofile was written');
  const summary = summarise(readProfile(join(dir, file)), 60);
  const text = formatSummary(summary, 40);
  writeFileSync(join(dir, 'summary.txt'), text);
  writeFileSync(join(dir, 'folded.txt'), `${summary.folded.join('\n')}\n`);
  writeFileSync(
    join(dir, 'flamegraph.svg'),
    renderFlameGraph(summary.folded, `autoprobe serve, ${rate} reviews/s for ${seconds} s`),
  );
  process.stdout.write(text);
  options.log(`profile: wrote ${dir}/{${file},summary.txt,folded.txt,flamegraph.svg}`);
  return text;
}
