/**
 * @module scripts/render-catalog — render docs/catalog.md from the catalog data, so the reference
 * can never drift from what the engine does (a test compares the two; `npm run docs` rewrites it).
 */
import { readinessCommand } from '../src/core/readiness-command.js';
import { readEnv } from '../src/core/container-env.js';
import { DEFAULT_ENGINE_CONFIG, FAMILIES } from '../src/core/index.js';
import type {
  Catalog,
  Family,
  ImageVariant,
  PortRule,
  Timing,
  ToolRule,
} from '../src/core/index.js';
import { VERIFICATION } from './catalog-verification.js';
import type { Verification } from './catalog-verification.js';
import type { ReadinessCommand } from '../src/core/readiness-command.js';

const t = (x: Timing | null): string =>
  x === null
    ? 'none'
    : `${x.initialDelaySeconds}/${x.periodSeconds}/${x.timeoutSeconds}/${x.failureThreshold}/${x.successThreshold}`;

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const sources = (keys: readonly string[]): string => keys.map((k) => `[${k}]`).join(' ');

function portRule(rule: PortRule): string {
  switch (rule.from) {
    case 'env':
      return `env ${rule.name}`;
    case 'flag':
      return `${rule.flags.join('/')}${rule.zeroFallback === undefined ? '' : ` (0 → ${rule.zeroFallback.join('/')})`}`;
    case 'pg-setting':
      return '-c port=';
    case 'flag-implies':
      return `${rule.flag} → ${rule.port}`;
    case 'kafka-listeners':
      return `${rule.listeners.join(' or ')} (+ ${rule.roles.join('/')}, ${rule.controllerNames.join('/')})`;
    case 'tls-env':
      return `if ${rule.enabledBy}: ${rule.rules.map(portRule).join(', ')} (TLS)`;
    case 'listen-env':
      return `env ${rule.name} (host:port)`;
  }
}

function tool(rule: ToolRule): string {
  const since = rule.since === undefined ? '' : ` ≥ ${rule.since}`;
  const before = rule.before === undefined ? '' : ` < ${rule.before}`;
  return `${code(rule.name)}${since}${before}`;
}

/** Representative versions per family: one per command branch, and "unknown". */
const VERSIONS: Readonly<Record<Family, readonly (string | null)[]>> = {
  postgres: ['16'],
  redis: ['7.4'],
  mysql: ['8.4'],
  mariadb: ['11.4', '10.4', null],
  rabbitmq: ['4.0'],
  kafka: ['3.9'],
  mongo: ['7.0', '5.0', null],
};

function commandFor(variant: ImageVariant, version: string | null): ReadinessCommand {
  const policy = DEFAULT_ENGINE_CONFIG.families[variant.family];
  const profile = DEFAULT_ENGINE_CONFIG.catalog.profiles[variant.family];
  const parsed =
    version === null
      ? null
      : {
          major: Number(version.split('.')[0]),
          minor: Number(version.split('.')[1] ?? 0),
          text: version,
        };
  return readinessCommand({
    family: variant.family,
    variant,
    tools: variant.tools,
    image: { version: parsed, tag: version },
    port: profile.defaultPort,
    timeoutSeconds: policy.readinessExec.timeoutSeconds,
    env: readEnv({}),
    words: [],
    credentials: { kind: 'none' },
  });
}

function renderCommand(r: ReadinessCommand): string {
  // cell(): a `|` inside backticks still splits a Markdown table cell (the Redis pipeline).
  return r.ok
    ? cell(code(r.command.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')))
    : `TCP (${r.why})`;
}

/** The entries that cover a rendered command: same family and variant, and its tool if any. */
function verificationsOf(family: Family, variant: string, r: ReadinessCommand): Verification[] {
  if (!r.ok) return [];
  const words = r.command.join(' ').split(/[\s;|&]+/);
  return VERIFICATION.filter(
    (v) =>
      v.family === family &&
      (v.variants === 'all' || v.variants.includes(variant)) &&
      (v.tool === undefined || words.some((w) => w === v.tool || w.endsWith(`/${v.tool}`))),
  );
}

/** The Verified cell: against what a command was executed, or why it was not. */
function verifiedCell(family: Family, variant: string, r: ReadinessCommand): string {
  if (!r.ok) return 'n/a (TCP readiness)';
  const found = verificationsOf(family, variant, r);
  if (found.length === 0) return 'not executed here';
  return found
    .map((v) => {
      const tool = found.length > 1 && v.tool !== undefined ? `${code(v.tool)}: ` : '';
      return v.executed
        ? `${tool}verified against ${v.server} (${v.date})`
        : `${tool}not executed: ${v.how}`;
    })
    .map(cell)
    .join('<br>');
}

/** The section that details every verification entry. */
function verificationSection(): string[] {
  return [
    '## How the exec commands were verified',
    '',
    'The probe conformance suite (`npm run test:probes`, test/probes) renders each command with the engine from a realistic Pod,',
    'executes that argv against real servers on loopback with the environment the container would have, and asserts the exit',
    "status and that it finished within the probe's `timeoutSeconds`. Exit statuses below are what the commands returned.",
    '',
    '| Family | Variants | Command | Executed against | Date | Cases and exit statuses |',
    '|---|---|---|---|---|---|',
    ...VERIFICATION.map((v) => {
      const variants = v.variants === 'all' ? 'all' : v.variants.join(', ');
      const tool = v.tool === undefined ? 'all' : code(v.tool);
      const against = v.executed ? cell(v.server) : 'not executed';
      return `| ${v.family} | ${variants} | ${tool} | ${against} | ${v.executed ? v.date : '—'} | ${cell(v.how)} |`;
    }),
    '',
  ];
}

function familySection(catalog: Catalog, family: Family): string[] {
  const p = catalog.profiles[family];
  const policy = DEFAULT_ENGINE_CONFIG.families[family];
  const variants = catalog.images.filter((v) => v.family === family);
  const lines = [
    `## ${p.displayName} (\`${family}\`)`,
    '',
    `Default port ${p.defaultPort}; container port names recognised: ${p.portNames.map(code).join(', ')}. Sources: ${sources(p.sources)}.`,
    '',
    '| Probe | Action | Timing (init/period/timeout/failure/success) | Why |',
    '|---|---|---|---|',
    `| startup | tcpSocket | ${t(policy.startup)} (budget ${policy.startup.initialDelaySeconds + policy.startup.periodSeconds * policy.startup.failureThreshold} s; the safety gate's minimum ${p.recoveryMinimumSeconds} s) | ${cell(p.startupWhy)} |`,
    `| liveness | ${policy.liveness === null ? 'none' : 'tcpSocket'} | ${t(policy.liveness)} | ${cell(p.livenessWhy)} |`,
    `| readiness | ${p.readinessMode} | exec ${t(policy.readinessExec)}; tcp ${t(policy.readinessTcp)} | ${cell(p.readinessWhy)} |`,
    '',
    '| Variant | Images | Version from tag | Port from (in order) | Config that hides the port | Readiness tools | Notes | Sources |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const v of variants) {
    const hidden = [
      ...v.hiddenConfig.fileFlags,
      ...v.hiddenConfig.fileSuffixes.map((s) => `*${s}`),
      ...v.hiddenConfig.mountPaths,
    ];
    const ha = v.ha === undefined ? [] : [`HA (${v.ha}): readiness only`];
    const tools = v.tools.map(tool).join(', ') || 'none verified (TCP readiness)';
    lines.push(
      `| ${v.variant} | ${v.names.map(code).join('<br>')} | ${code(v.tagVersion)} | ${cell(v.port.map(portRule).join('; '))} | ${hidden.map(code).join(', ') || '—'} | ${cell(tools)} | ${cell([v.notes, ...ha].join('; '))} | ${sources(v.sources)} |`,
    );
  }
  lines.push(
    '',
    '| Variant | Version | Exec readiness command (port = default, timeoutSeconds = profile) | Verified |',
    '|---|---|---|---|',
  );
  for (const v of variants) {
    for (const version of VERSIONS[family]) {
      const r = commandFor(v, version);
      lines.push(
        `| ${v.variant} | ${version ?? 'unknown (latest, digest)'} | ${renderCommand(r)} | ${verifiedCell(family, v.variant, r)} |`,
      );
    }
  }
  const roles = catalog.roles[family];
  lines.push(
    '',
    `Server processes: ${[...roles.servers, ...roles.entrypoints].map(code).join(', ')}.`,
    `Not a server (skipped): ${roles.clients.map(code).join(', ')}${roles.sideRoles.length > 0 ? `; side roles: ${roles.sideRoles.map((s) => `${code(s.token)} (${s.role})`).join(', ')}` : ''}.`,
    '',
  );
  return lines;
}

/** renderCatalog returns the whole docs/catalog.md. */
export function renderCatalog(catalog: Catalog = DEFAULT_ENGINE_CONFIG.catalog): string {
  const lines = [
    '# Catalog reference',
    '',
    '<!-- Generated by scripts/render-catalog.ts from src/core/catalog; run `npm run docs` after changing the catalog. -->',
    '',
    'What autoprobe recognises and what it injects, family by family. Timings are `init/period/timeout/failure/success`.',
    'Source keys in brackets are listed in [sources.md](sources.md). Images are matched by exact canonical name after',
    'mirror resolution, never by substring.',
    '',
    ...FAMILIES.flatMap((f) => familySection(catalog, f)),
    ...verificationSection(),
    '## Known negatives',
    '',
    '| Category | Images | Why | Sources |',
    '|---|---|---|---|',
    ...catalog.negatives.map(
      (n) =>
        `| ${n.category} | ${[...n.names, ...(n.patterns ?? []).map((p) => `/${p}/`)].map(code).join('<br>')} | ${cell(n.why)} | ${sources(n.sources)} |`,
    ),
    '',
    '## Operator-managed pods (skipped)',
    '',
    '| Operator | Labels | Owner API groups | Agent containers | Sources |',
    '|---|---|---|---|---|',
    ...catalog.operators.map((o) => {
      const labels = [
        ...(o.labelKeys ?? []),
        ...Object.entries(o.labels ?? {}).map(([k, v]) => `${k}=${v}`),
      ];
      return `| ${o.operator} | ${labels.map(code).join('<br>') || '—'} | ${(o.ownerApiGroups ?? []).map(code).join('<br>') || '—'} | ${(o.siblingImages ?? []).map(code).join('<br>') || '—'} | ${sources(o.sources)} |`;
    }),
    '',
    '## HA managers (readiness only)',
    '',
    '| Manager | Families | Programs | Env | Flags | Markers in env values and mounts | Why | Sources |',
    '|---|---|---|---|---|---|---|---|',
    ...catalog.ha.map(
      (h) =>
        `| ${h.manager} | ${h.families.join(', ')} | ${(h.programs ?? []).map(code).join(', ') || '—'} | ${(h.env ?? []).map(code).join(', ') || '—'} | ${(h.flags ?? []).map(code).join(', ') || '—'} | ${(h.markers ?? []).map(code).join(', ') || '—'} | ${cell(h.why)} | ${sources(h.sources)} |`,
    ),
    '',
    '## Service meshes (what they do to a tcpSocket probe)',
    '',
    '`intercepts`: the proxy answers every TCP connection, so TCP checks are made from inside the container',
    '(bash `/dev/tcp`) or not at all; `rewrites`: the injector turns TCP probes into checks from inside the pod;',
    '`passes`: probes reach the server as they are.',
    '',
    '| Mesh | Effect | Proxy containers | Pod markers | Namespace markers | Unless | Sources |',
    '|---|---|---|---|---|---|---|',
    ...catalog.meshes.map((m) => {
      const markers = (r: Readonly<Record<string, readonly string[]>> | undefined): string =>
        Object.entries(r ?? {})
          .map(([k, v]) => code(v.length === 0 ? k : `${k}=${v.join('|')}`))
          .join('<br>') || '—';
      const pod = [markers(m.podAnnotations), markers(m.podLabels), markers(m.requires)]
        .filter((x) => x !== '—')
        .join('<br>');
      const ns = [markers(m.namespaceAnnotations), markers(m.namespaceLabels)]
        .filter((x) => x !== '—')
        .join('<br>');
      return `| ${m.mesh} | ${m.effect} | ${(m.proxyContainers ?? []).map(code).join(', ') || '—'} | ${pod || '—'} | ${ns || '—'} | ${markers(m.optOut)} | ${sources(m.sources)} |`;
    }),
    '',
    '## Secret injectors (credentials an exec probe cannot read)',
    '',
    '| Injector | Env value patterns | Sources |',
    '|---|---|---|',
    ...catalog.injectors.map(
      (i) =>
        `| ${i.injector} | ${i.patterns.map((p) => code(`/${p}/`)).join('<br>')} | ${sources(i.sources)} |`,
    ),
    '',
    '## Mirrors',
    '',
    '| Reference prefix | Stands for |',
    '|---|---|',
    ...catalog.mirrors.map((m) => `| ${code(m.prefix)} | ${code(m.upstream)} |`),
    '',
  ];
  return lines.join('\n');
}
