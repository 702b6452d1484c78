/**
 * @module test/soak/run — `npm run soak -- [--reviews 1000000] [--rate 800]`: one `autoprobe serve`
 * process (the built dist/main.js, enforce mode, info logs to a file) takes `--reviews` reviews at
 * a fixed rate over keep-alive HTTPS, while its serving certificate is rotated (`--rotations`
 * times, published like a Secret volume update) and its config file rewritten (`--reloads` times,
 * like a ConfigMap volume update). Connections are recycled every `--recycle-after` answers, so
 * new TLS handshakes keep happening and pick up the new certificates.
 *
 * Pass criteria: zero failed requests (every answer HTTP 200 with the uid echoed, and every
 * `--sample-every`-th answer held to the full contract of the fuzzer's oracle: patch applies,
 * user probes untouched), every rotation served to new connections, every reload applied, and
 * RSS at the end within 10 % of RSS after warm-up (the first 10 % of the reviews), both as the
 * median of the RSS samples over a tenth of the reviews. RSS is sampled every 5 s. The summary
 * goes to stdout and, as JSON, to `--out`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE_DIR, DEFAULT_SEED, mixedCorpus } from '../../bench/corpus.js';
import type { Reply } from '../../bench/lib/client.js';
import { buildRequest } from '../../bench/lib/client.js';
import { defaultCheck, fixedRate, median } from '../../bench/lib/load.js';
import type { LoadRequest, Progress } from '../../bench/lib/load.js';
import { machine } from '../../bench/lib/machine.js';
import {
  configText,
  freePort,
  pinSelf,
  prioritiseSelf,
  procStats,
  startAutoprobe,
} from '../../bench/lib/servers.js';
import { checkAnswer } from '../fuzz/harness.js';
import { secretVolume } from '../server/helpers/secret-volume.js';
import {
  certificates,
  configYaml,
  fingerprintOf,
  metricValue,
  served,
  waitFor,
} from './soak-plan.js';

const { values } = parseArgs({
  options: {
    reviews: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '800' },
    rotations: { type: 'string', default: '4' },
    reloads: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
    'recycle-after': { type: 'string', default: '5000' },
    'sample-every': { type: 'string', default: '50' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    out: { type: 'string', default: join(CACHE_DIR, 'soak.json') },
  },
});

const reviews = Number(values.reviews);
const rate = Number(values.rate);
const rotations = Number(values.rotations);
const reloads = Number(values.reloads);
const sampleEvery = Number(values['sample-every']);
const log = (line: string): void => {
  process.stderr.write(`soak: ${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

interface Sample {
  readonly seconds: number;
  readonly reviews: number;
  readonly rssMb: number;
}

interface Event {
  readonly kind: 'certificate rotation' | 'config reload';
  readonly atReviews: number;
  readonly pickedUpS: number | null;
  readonly error?: string;
}

pinSelf('1');
prioritiseSelf();
const dir = join(CACHE_DIR, 'soak');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

log(`generating ${rotations + 1} certificates and the corpus`);
const certs = await certificates(rotations + 1);
const first = certs[0];
if (first === undefined) throw new Error('no certificate');
const ca = certs.map((c) => c.caCert);
const tlsVolume = await secretVolume(join(dir, 'tls'), {
  'tls.crt': first.cert,
  'tls.key': first.key,
});
const ports = { port: await freePort(), metricsPort: await freePort() };
const tlsFiles = {
  dir,
  ca: first.caCert,
  certFile: tlsVolume.path('tls.crt'),
  keyFile: tlsVolume.path('tls.key'),
};
const baseConfig = configText({ tls: tlsFiles }, ports);
const configVolume = await secretVolume(join(dir, 'config'), {
  'config.yaml': configYaml(baseConfig, 0),
});
const corpus = mixedCorpus(2000, Number(values.seed));

const server = await startAutoprobe({
  tls: tlsFiles,
  dir,
  cpu: '0',
  logFile: join(dir, 'autoprobe.log'),
  configFile: configVolume.path('config.yaml'),
  ports,
});
log(`autoprobe serve pid ${server.pid} on port ${server.port}; ${reviews} reviews at ${rate}/s`);

const target = { host: '127.0.0.1', port: server.port, ca, servername: 'localhost' };
const requests: LoadRequest[] = corpus.map((e) => ({
  bytes: buildRequest(target, '/mutate?timeout=10s', e.body),
  uid: e.uid,
}));
const bodies = new Map(corpus.map((e) => [e.uid, e.body]));
let answered = 0;
let contractFailures = 0;
const check = (reply: Reply, request: LoadRequest): string | null => {
  const basic = defaultCheck(reply, request);
  if (basic !== null) return basic;
  answered += 1;
  if (answered % sampleEvery !== 0) return null;
  try {
    const body = bodies.get(request.uid) ?? '';
    checkAnswer(
      { body, contentType: 'application/json' },
      { status: reply.status, text: reply.body.toString('utf8') },
      'enforce',
    );
    return null;
  } catch (error) {
    contractFailures += 1;
    return `contract: ${String(error).slice(0, 200)}`;
  }
};

const metrics = async (): Promise<string> =>
  (await fetch(`http://127.0.0.1:${ports.metricsPort}/metrics`)).text();

const events: Event[] = [];
const pending: Promise<void>[] = [];
let rotated = 0;
let reloaded = 0;

async function rotate(atReviews: number): Promise<void> {
  rotated += 1;
  const next = certs[rotated];
  if (next === undefined) return;
  await tlsVolume.publish({ 'tls.crt': next.cert, 'tls.key': next.key });
  const want = fingerprintOf(next.cert);
  try {
    const pickedUpS = await waitFor(async () => (await served(server.port, ca)) === want, 60_000);
    events.push({ kind: 'certificate rotation', atReviews, pickedUpS });
    log(`certificate ${rotated} served after ${pickedUpS} s`);
  } catch (error) {
    events.push({ kind: 'certificate rotation', atReviews, pickedUpS: null, error: String(error) });
    log(`certificate ${rotated} NOT picked up: ${String(error)}`);
  }
}

async function reload(atReviews: number): Promise<void> {
  reloaded += 1;
  const version = reloaded;
  await configVolume.publish({ 'config.yaml': configYaml(baseConfig, version) });
  try {
    const pickedUpS = await waitFor(
      async () =>
        metricValue(await metrics(), 'autoprobe_config_reloads_total{result="success"}') >= version,
      60_000,
    );
    events.push({ kind: 'config reload', atReviews, pickedUpS });
    log(`config ${version} applied after ${pickedUpS} s`);
  } catch (error) {
    events.push({ kind: 'config reload', atReviews, pickedUpS: null, error: String(error) });
    log(`config ${version} NOT applied: ${String(error)}`);
  }
}

// Rotations and reloads are spread over the run after warm-up, interleaved.
const warmup = Math.max(10_000, Math.round(reviews * 0.1));
const schedule = [
  ...Array.from({ length: rotations }, (_, i) => ({
    at: warmup + ((reviews - warmup) * (i + 0.5)) / (rotations + 0.5),
    run: rotate,
  })),
  ...Array.from({ length: reloads }, (_, i) => ({
    at: warmup + ((reviews - warmup) * (i + 1)) / (reloads + 0.5),
    run: reload,
  })),
].sort((a, b) => a.at - b.at);

const samples: Sample[] = [];
const started = performance.now();
let latest: Progress = { elapsedS: 0, sent: 0, ok: 0, failed: 0 };
const warm: { rssMb: number | null } = { rssMb: null };
const sampler = setInterval(() => {
  const stats = procStats(server.pid);
  samples.push({
    seconds: Math.round((performance.now() - started) / 1000),
    reviews: latest.ok,
    rssMb: stats.rssMb,
  });
  if (warm.rssMb === null && latest.ok >= warmup) {
    warm.rssMb = stats.rssMb;
    log(`warm-up done at ${latest.ok} reviews: RSS ${stats.rssMb} MB`);
  }
  if (samples.length % 6 === 0) {
    log(`${latest.ok} ok, ${latest.failed} failed, RSS ${stats.rssMb} MB`);
  }
}, 5_000);

const load = await fixedRate(target, requests, {
  rate,
  durationS: reviews / rate,
  connections: Number(values.connections),
  recycleAfter: Number(values['recycle-after']),
  check,
  onSecond: (progress) => {
    latest = progress;
    while (schedule.length > 0 && (schedule[0]?.at ?? Infinity) <= progress.sent) {
      const event = schedule.shift();
      if (event !== undefined) pending.push(event.run(progress.sent));
    }
  },
});
clearInterval(sampler);
await Promise.all(pending);
const end = procStats(server.pid);
const text = await metrics();
const exitCode = await server.stop();

const rssWarm = warm.rssMb ?? samples[0]?.rssMb ?? 0;
const afterWarmup = samples.filter((s) => s.reviews >= warmup).map((s) => s.rssMb);
// RSS saws up and down by up to 50 MB with each old-generation collection, so one sample at each end
// compares two random points of the saw (a flat run once measured +15.7 % that way). The check
// compares the median of the samples just after warm-up with the median of the last ones, each
// window a tenth of the reviews.
const tenth = Math.max(1, Math.floor(reviews / 10));
// A median of an even count averages two samples: round it to the samples' own 0.1 MB.
const mb = (value: number): number => Math.round(value * 10) / 10;
const rssStartMedian = mb(
  median(
    samples.filter((s) => s.reviews >= warmup && s.reviews < warmup + tenth).map((s) => s.rssMb),
  ),
);
const rssEndMedian = mb(
  median(samples.filter((s) => s.reviews >= reviews - tenth).map((s) => s.rssMb)),
);
const growthPct = Math.round(((rssEndMedian - rssStartMedian) / rssStartMedian) * 1000) / 10;
const pointGrowthPct = Math.round(((end.rssMb - rssWarm) / rssWarm) * 1000) / 10;
const outcome = (o: string): number =>
  metricValue(
    text,
    `autoprobe_admission_reviews_total{outcome="${o}",mode="enforce",dry_run="false"}`,
  );
const summary = {
  machine: machine(),
  reviews: load.sent,
  ok: load.ok,
  failed: load.failed,
  failures: load.failures,
  contract_checked: Math.floor(answered / sampleEvery),
  contract_failures: contractFailures,
  rate_offered: rate,
  rate_achieved: load.achievedRps,
  duration_s: load.durationS,
  latency_ms: load.latencyMs,
  rss_after_warmup_mb: rssWarm,
  rss_end_mb: end.rssMb,
  rss_point_growth_pct: pointGrowthPct,
  rss_after_warmup_median_mb: rssStartMedian,
  rss_end_median_mb: rssEndMedian,
  rss_growth_pct: growthPct,
  rss_min_after_warmup_mb: Math.min(...afterWarmup),
  rss_max_after_warmup_mb: Math.max(...afterWarmup),
  peak_rss_mb: end.peakRssMb,
  server_cpu_s: end.cpuS,
  warmup_reviews: warmup,
  events,
  metrics: {
    patched: outcome('patched'),
    unchanged: outcome('unchanged'),
    skipped_scope: metricValue(
      text,
      'autoprobe_admission_reviews_total{outcome="skipped-scope",mode="none",dry_run="false"}',
    ),
    fail_open_error: metricValue(text, 'autoprobe_admission_fail_open_total{cause="error"}'),
    fail_open_deadline: metricValue(text, 'autoprobe_admission_fail_open_total{cause="deadline"}'),
    tls_reloads: metricValue(text, 'autoprobe_tls_reloads_total{result="success"}'),
    tls_reload_failures: metricValue(text, 'autoprobe_tls_reloads_total{result="failure"}'),
    config_reloads: metricValue(text, 'autoprobe_config_reloads_total{result="success"}'),
    config_reload_failures: metricValue(text, 'autoprobe_config_reloads_total{result="failure"}'),
  },
  server_exit_code: exitCode,
  samples,
};
const passed =
  load.failed === 0 &&
  load.sent === reviews &&
  events.length === rotations + reloads &&
  events.every((e) => e.pickedUpS !== null) &&
  Math.abs(growthPct) <= 10 &&
  exitCode === 0;
writeFileSync(values.out, `${JSON.stringify({ passed, ...summary }, null, 2)}\n`);
process.stdout.write(
  [
    '',
    `soak: ${passed ? 'PASSED' : 'FAILED'}: ${load.sent} reviews in ${load.durationS} s (${load.achievedRps}/s offered ${rate}/s), ${load.failed} failed, ${contractFailures} contract failures in ${summary.contract_checked} checked`,
    `  latency ms: p50 ${load.latencyMs.p50}, p99 ${load.latencyMs.p99}, p99.9 ${load.latencyMs.p999}, max ${load.latencyMs.max}`,
    `  RSS: median ${rssStartMedian} MB over the tenth after warm-up (${warmup} reviews), ${rssEndMedian} MB over the last tenth (${growthPct >= 0 ? '+' : ''}${growthPct} %); single samples ${rssWarm} → ${end.rssMb} MB (${pointGrowthPct >= 0 ? '+' : ''}${pointGrowthPct} %), range after warm-up ${summary.rss_min_after_warmup_mb}–${summary.rss_max_after_warmup_mb} MB, peak ${end.peakRssMb} MB`,
    ...events.map(
      (e) =>
        `  ${e.kind} at ${e.atReviews} reviews: ${e.pickedUpS === null ? `NOT picked up (${e.error ?? ''})` : `in effect after ${e.pickedUpS} s`}`,
    ),
    `  server metrics: ${JSON.stringify(summary.metrics)}; exit code ${String(exitCode)}`,
    `  details: ${values.out}`,
    '',
  ].join('\n'),
);
process.exitCode = passed ? 0 : 1;
