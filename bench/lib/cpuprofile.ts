/**
 * @module bench/lib/cpuprofile — read a V8 `.cpuprofile` (what `node --cpu-prof` writes) and
 * summarise it: self and inclusive time per function, time per package, and folded stacks
 * (`frame;frame;frame count`, the input format of flamegraph.pl, speedscope and inferno), so a
 * profile can be read without a browser.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** The parts of a V8 CPU profile this module reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** One function's share of the profile. */
export interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
  readonly totalMs: number;
  readonly totalPct: number;
}

/** A summarised profile. */
export interface ProfileSummary {
  readonly durationMs: number;
  /** Time not idle and not in the garbage collector's own node. */
  readonly busyMs: number;
  readonly gcMs: number;
  readonly idleMs: number;
  readonly functions: readonly HotFunction[];
  /** Self time by package (node_modules name), `node:` internals, or the project's files. */
  readonly packages: readonly {
    readonly name: string;
    readonly selfMs: number;
    readonly pct: number;
  }[];
  /** `a;b;c microseconds` lines, heaviest first. */
  readonly folded: readonly string[];
}

/** readProfile parses a `.cpuprofile` file. */
export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/** frameLabel names a frame `function (file:line)`, with paths shortened to the package. */
export function frameLabel(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return `${name} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  for (const root of ['/dist/', '/src/', '/bench/', '/test/']) {
    const at = path.lastIndexOf(root);
    if (at >= 0) return path.slice(at + 1);
  }
  return path;
}

function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  const path = shortUrl(url);
  const parts = path.split('/');
  return parts.length > 2 ? `${parts[0] ?? ''}/${parts[1] ?? ''}` : path;
}

interface Tallies {
  readonly self: Map<string, number>;
  readonly total: Map<string, number>;
  readonly packages: Map<string, number>;
  readonly folded: Map<string, number>;
  idle: number;
  gc: number;
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** tally adds the samples of one profile node: self, inclusive (up its stack), package, folded. */
function tally(
  t: Tallies,
  node: ProfileNode,
  us: number,
  stackOf: (id: number) => ProfileNode[],
): void {
  const label = frameLabel(node.callFrame);
  if (node.callFrame.functionName === '(idle)') {
    t.idle += us;
    return;
  }
  if (node.callFrame.functionName === '(garbage collector)') t.gc += us;
  add(t.self, label, us);
  add(t.packages, packageOf(node.callFrame), us);
  const labels = stackOf(node.id).map((frame) => frameLabel(frame.callFrame));
  // Inclusive time counts a recursive function once per sample.
  for (const l of new Set(labels)) add(t.total, l, us);
  add(t.folded, labels.reverse().join(';'), us);
}

/** summarise computes self and inclusive time per function and the folded stacks. */
export function summarise(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame !== undefined && frame.callFrame.functionName !== '(root)') stack.push(frame);
    }
    return stack;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const t: Tallies = {
    self: new Map(),
    total: new Map(),
    packages: new Map(),
    folded: new Map(),
    idle: 0,
    gc: 0,
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node !== undefined) tally(t, node, us, stackOf);
  }
  const duration = profile.endTime - profile.startTime;
  const busy = duration - t.idle;
  const ms = (us: number): number => Math.round(us / 10) / 100;
  const pct = (us: number): number => Math.round((us / Math.max(1, busy)) * 1000) / 10;
  const functions = [...t.self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([label, us]) => {
      const at = label.indexOf(' (');
      const inclusiveUs = t.total.get(label) ?? us;
      return {
        name: at >= 0 ? label.slice(0, at) : label,
        where: at >= 0 ? label.slice(at + 2, -1) : '',
        selfMs: ms(us),
        selfPct: pct(us),
        totalMs: ms(inclusiveUs),
        totalPct: pct(inclusiveUs),
      };
    });
  return {
    durationMs: ms(duration),
    busyMs: ms(busy),
    gcMs: ms(t.gc),
    idleMs: ms(t.idle),
    functions,
    packages: [...t.packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: ms(us), pct: pct(us) })),
    folded: [...t.folded.entries()].sort((a, b) => b[1] - a[1]).map(([k, us]) => `${k} ${us}`),
  };
}

/** inclusive returns the inclusive share (% of busy time) of every function matching `test`. */
export function inclusive(profile: CpuProfile, test: (label: string) => boolean): number {
  const summary = summarise(profile, Number.MAX_SAFE_INTEGER);
  return summary.functions
    .filter((f) => test(`${f.name} (${f.where})`))
    .reduce((max, f) => Math.max(max, f.totalPct), 0);
}

/** formatSummary renders a summary as text tables. */
export function formatSummary(summary: ProfileSummary, top = 25): string {
  const lines = [
    `profile: ${summary.durationMs} ms, busy ${summary.busyMs} ms, GC ${summary.gcMs} ms, idle ${summary.idleMs} ms`,
    '',
    'self%  total%  function (where)',
  ];
  for (const f of summary.functions.slice(0, top)) {
    lines.push(
      `${f.selfPct.toFixed(1).padStart(5)}  ${f.totalPct.toFixed(1).padStart(6)}  ${f.name} (${f.where})`,
    );
  }
  lines.push('', 'self%  package');
  for (const p of summary.packages.slice(0, 15)) {
    lines.push(`${p.pct.toFixed(1).padStart(5)}  ${p.name}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1]?.endsWith('cpuprofile.ts') === true && process.argv[2] !== undefined) {
  const summary = summarise(readProfile(process.argv[2]), 40);
  process.stdout.write(formatSummary(summary, 40));
}
