/** @module cli/explain-render — explain's renderings: a table for people, a JSON array for tools. */
import { PROBE_KINDS, formatReason, probesOf, roleOf } from '../core/index.js';
import type { ContainerDecision, Probe } from '../core/index.js';
import type { ExplainRow } from './explain.js';
import { formatTable } from './table.js';

const HEADERS = [
  'KIND',
  'NAMESPACE',
  'NAME',
  'CONTAINER',
  'IMAGE',
  'FAMILY',
  'ACTION',
  'PROBES',
  'FINDINGS',
];
const NONE = '-';
const DIGEST = /@(sha256:[0-9a-f]{12})[0-9a-f]{52}$/;
const DEFAULT_REGISTRY = /^docker\.io\/(library\/)?/;

/** renderExplainJson prints the rows as a JSON array (the stable machine format). */
export function renderExplainJson(rows: readonly ExplainRow[]): string {
  return `${JSON.stringify(explainItems(rows), null, 2)}\n`;
}

/** explainItems are the JSON items of the rows (audit adds its own fields to them). */
export function explainItems(rows: readonly ExplainRow[]): Record<string, unknown>[] {
  return rows.map((row) => ({
    file: row.file,
    document: row.document,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    container: row.decision.container,
    list: row.decision.list,
    image: row.decision.image,
    family: row.decision.family,
    variant: row.decision.variant,
    action: row.decision.action,
    reasons: row.decision.reasons.map(formatReason),
    probes: probesOf(row.decision),
    vetoed: row.decision.vetoed.map((v) => ({
      probe: v.kind,
      invariant: v.invariant,
      detail: v.detail,
    })),
    findings: row.decision.findings,
    notices: row.notices.map((n) => ({ code: n.code, message: n.detail })),
  }));
}

/**
 * renderExplainTable prints one line per container. Reasons are codes, without those the FAMILY
 * and ACTION columns already say; `wide` gives every reason with its detail, the full image and
 * the source file. Probes read `L:tcp,R:exec,S:tcp` (liveness, readiness, startup). Notices
 * about ignored annotations follow the table, once per object.
 */
export function renderExplainTable(rows: readonly ExplainRow[], wide: boolean): string {
  const headers = wide ? ['FILE', ...HEADERS, 'REASONS'] : [...HEADERS, 'REASONS'];
  const lines = rows.map((row) => [
    ...(wide ? [`${row.file}#${row.document}`] : []),
    row.kind,
    row.namespace ?? NONE,
    row.name ?? NONE,
    row.decision.container,
    wide ? row.decision.image : shortImage(row.decision.image),
    row.decision.family ?? NONE,
    row.decision.action,
    probeSummary(row.decision, wide),
    findingSummary(row.decision),
    reasonSummary(row.decision, wide),
  ]);
  return formatTable(headers, lines) + renderSummary(rows) + renderNotices(rows);
}

/**
 * renderSummary counts the decisions, the probes the safety gate vetoed, and the lookalike images
 * (catalog images on a registry that is not a configured mirror), which a `mirrors` entry would
 * let autoprobe probe.
 */
function renderSummary(rows: readonly ExplainRow[]): string {
  if (rows.length === 0) return '';
  const count = (test: (d: ContainerDecision) => boolean): number =>
    rows.filter((r) => test(r.decision)).length;
  const injected = count((d) => d.action === 'inject');
  const vetoed = rows.reduce((n, r) => n + r.decision.vetoed.length, 0);
  const lookalikes = count((d) => d.action === 'skip' && d.cause.code === 'image-lookalike');
  const findings = rows.flatMap((r) => r.decision.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const parts = [
    `${rows.length} containers: ${injected} inject, ${rows.length - injected} skip`,
    ...(vetoed > 0 ? [`${vetoed} probes vetoed by the safety gate (-o wide shows them)`] : []),
    ...(findings.length > 0
      ? [
          `${findings.length} findings on existing probes, ${errors} of them errors (autoprobe lint explains them)`,
        ]
      : []),
    ...(lookalikes > 0
      ? [
          `${lookalikes} lookalike images on registries that are not configured mirrors (add them under mirrors)`,
        ]
      : []),
  ];
  return `\nSUMMARY\n  ${parts.join('; ')}\n`;
}

/** shortImage drops the default registry and keeps 12 hex digits of a digest (`docker images`). */
function shortImage(image: string): string {
  return image.replace(DEFAULT_REGISTRY, '').replace(DIGEST, '@$1…');
}

function probeSummary(decision: ContainerDecision, wide: boolean): string {
  const probes = probesOf(decision);
  const parts = PROBE_KINDS.flatMap((kind) => {
    const probe = probes[kind];
    if (probe === undefined) return [];
    const label = wide ? kind : kind.charAt(0).toUpperCase();
    return [`${label}:${handler(probe, wide)}`];
  });
  // -o wide also shows what the safety gate vetoed: `vetoed liveness:tcp/5432`.
  const vetoed = wide
    ? decision.vetoed.map((v) => `vetoed ${v.kind}:${handler(v.probe, true)}`)
    : [];
  const all = [...parts, ...vetoed];
  return all.length === 0 ? NONE : all.join(',');
}

/** The lint's findings on the container's own probes: `L:liveness-without-startup` (lint.md). */
function findingSummary(decision: ContainerDecision): string {
  const codes = decision.findings.map((f) => `${f.probe.charAt(0).toUpperCase()}:${f.code}`);
  return codes.length === 0 ? NONE : codes.join(',');
}

function handler(probe: Probe, wide: boolean): string {
  if (probe.tcpSocket !== undefined) {
    return wide ? `tcp/${String(probe.tcpSocket.port)}` : 'tcp';
  }
  return probe.exec === undefined ? 'other' : 'exec';
}

/** The short table leaves out what the FAMILY and PROBES columns say (`found`, `outcome`). */
function reasonSummary(decision: ContainerDecision, wide: boolean): string {
  if (wide) return decision.reasons.map(formatReason).join('; ');
  const shown = decision.reasons
    .map((r) => r.code)
    .filter((c) => {
      const role = roleOf(c);
      return role !== 'found' && role !== 'outcome';
    });
  const codes = new Set(shown);
  return codes.size === 0 ? NONE : [...codes].join(',');
}

function renderNotices(rows: readonly ExplainRow[]): string {
  const seen = new Set<string>();
  for (const row of rows) {
    const object = `${row.kind}/${row.name ?? NONE}`;
    for (const notice of row.notices) seen.add(`  ${object}: ${notice.detail}\n`);
  }
  return seen.size === 0 ? '' : `\nNOTICES\n${[...seen].join('')}`;
}
