/**
 * @module audit/audit-command — the `audit` subcommand: credentials found as kubectl finds them,
 * the client library loaded only when it runs, Kubernetes API errors turned into clear messages
 * (the verb and resource a refusal names), and a progress line on a terminal.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { AutoprobeError } from '../core/index.js';
import { findKubeSource } from '../kube/source.js';
import type { CommandRegistrar, Io } from '../program.js';
import { AUDIT_FORMATS, auditCluster, renderAuditJson, renderAuditTable } from './audit.js';
import type { AuditResult } from './audit.js';
import { MANAGED_BY, policyReports, renderPolicyReports } from './policy-report.js';

interface RawOptions {
  readonly config?: string;
  readonly namespace?: string;
  readonly output: string;
  readonly timeout: string;
  readonly apply?: boolean;
}

const HELP = `
Reads Deployments, StatefulSets, DaemonSets, ReplicaSets and Pods without a controller, Jobs,
CronJobs and ReplicationControllers (list permission on each), and namespaces (list, or get
with -n). It changes nothing, unless --apply: then it writes one PolicyReport per namespace
(wgpolicyk8s.io/v1alpha2; list, create, update, delete on policyreports). Credentials: $KUBECONFIG, ~/.kube/config, or the Pod's service
account, as kubectl.

Exit codes: 0 done, 1 an API error (what was read is printed first) or an error finding, 2 bad
usage, configuration or no credentials.

Examples:
  autoprobe audit
  autoprobe audit -n data -o json --config autoprobe.yaml
  autoprobe audit -o policyreport | kubectl apply -f -    # PolicyReport CRD installed
  autoprobe audit --apply                                  # the same, and stale reports removed`;

/** registerAuditCommand adds `audit` to the program. */
export const registerAuditCommand: CommandRegistrar = (program: Command, io: Io): void => {
  program
    .command('audit')
    .description('run the engine and the lint, read-only, over the workloads of a live cluster')
    .option('--config <file>', 'autoprobe configuration file (scope, mode, catalog overrides)')
    .option('-n, --namespace <namespace>', 'only this namespace')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(AUDIT_FORMATS).default('table'),
    )
    .option('--timeout <seconds>', 'give up after this many seconds', '300')
    .option(
      '--apply',
      'also write the PolicyReports into the cluster (create, update, delete stale ones)',
    )
    .addHelpText('after', HELP)
    .action(async (_options: unknown, command: Command) => {
      await runAudit(command.opts<RawOptions>(), io);
    });
};

async function runAudit(options: RawOptions, io: Io): Promise<void> {
  const seconds = Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new AutoprobeError('AP_ERR_USAGE', '--timeout must be a positive number of seconds');
  }
  const config = await loadConfig(
    options.config === undefined ? undefined : resolve(io.cwd, options.config),
  );
  const source = findKubeSource(io.env, existsSync);
  if (source === null) {
    throw new AutoprobeError(
      'AP_ERR_CONFIG_READ',
      'no Kubernetes credentials: set KUBECONFIG, create ~/.kube/config, or run in a Pod with a service account',
    );
  }
  // The client library takes seconds to load; only audit and serve need it.
  const { applyPolicyReports, loadKubeConfig, kubeWorkloadSource } =
    await import('../kube/index.js');
  const kubeConfig = loadKubeConfig(source);
  const workloads = kubeWorkloadSource(kubeConfig);
  const progress = progressLine(io);
  const result = await withTimeout(
    auditCluster(workloads, config, options.namespace, progress.update).catch((error: unknown) => {
      throw kubeError(error);
    }),
    seconds,
  );
  progress.done();
  const render = {
    table: renderAuditTable,
    json: renderAuditJson,
    policyreport: renderPolicyReports,
  }[options.output as (typeof AUDIT_FORMATS)[number]];
  io.stdout.write(render(result));
  if (result.error !== undefined) throw kubeError(result.error, result);
  if (options.apply === true) {
    // Written only after a complete read: a partial one would delete reports it did not reach.
    const counts = await applyPolicyReports(
      kubeConfig,
      policyReports(result),
      selectorOf(MANAGED_BY),
      options.namespace,
    ).catch((error: unknown) => {
      throw kubeError(error);
    });
    io.stderr.write(
      `policy reports: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.deleted} deleted\n`,
    );
  }
  const errors = result.rows
    .flatMap((r) => r.decision.findings)
    .filter((f) => f.severity === 'error' && !f.resolved).length;
  if (errors > 0) {
    throw new AutoprobeError(
      'AP_ERR_LINT_FINDINGS',
      `${errors} error finding${errors === 1 ? '' : 's'} on existing probes (docs/lint.md)`,
    );
  }
}

/** kubeError names what the API refused or why it could not be reached; never a body dump. */
function kubeError(error: unknown, partial?: AuditResult): AutoprobeError {
  const read = partial === undefined ? '' : ` after ${partial.workloads} workloads (printed above)`;
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e.code === 'number') {
    const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    const message =
      typeof (body as { message?: unknown } | undefined)?.message === 'string'
        ? (body as { message: string }).message
        : `HTTP ${e.code}`;
    return new AutoprobeError(
      e.code === 403 ? 'AP_ERR_KUBE_FORBIDDEN' : 'AP_ERR_KUBE_API',
      `the Kubernetes API refused a read${read}: ${message}`,
    );
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new AutoprobeError(
    'AP_ERR_KUBE_API',
    `cannot read from the Kubernetes API${read}: ${message}`,
  );
}

function selectorOf(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new AutoprobeError(
          'AP_ERR_KUBE_API',
          `the audit did not finish within ${seconds} s (--timeout)`,
        ),
      );
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** progressLine counts workloads on stderr when it is a terminal. */
function progressLine(io: Io): { update: (n: number) => void; done: () => void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (!tty) return { update: () => undefined, done: () => undefined };
  return {
    update: (n) => {
      if (n % 100 === 0) io.stderr.write(`\r  ${n} workloads read`);
    },
    done: () => io.stderr.write('\r\x1b[K'),
  };
}
