/**
 * @module catalog/injectors — env value syntaxes that a secret injector resolves inside the server's
 * process only. The Pod spec (and so an exec probe, which gets the container's env but not the
 * process's) sees the reference string itself: a probe that passes it as a password fails forever
 * (bank-vaults/vault-secrets-webhook#422: Bitnami Redis probes, exactly this). docs/sources.md
 * lists where each syntax is defined.
 */
import type { InjectorRule } from './types.js';

export const INJECTORS: readonly InjectorRule[] = [
  {
    injector: 'bank-vaults vault-env',
    // `vault:PATH#KEY[#VERSION]`, `>>vault:…` (dynamic), or inline `${vault:…}` in a longer value.
    patterns: ['^(>>)?vault:', '\\$\\{>{0,2}vault:'],
    sources: ['BANKVAULTS-SDK', 'BANKVAULTS-422', 'BANKVAULTS-1427'],
  },
  {
    injector: 'bank-vaults secret-init',
    patterns: [
      '^bao:.+#',
      '^arn:aws:(secretsmanager|ssm):',
      '^gcp:secretmanager:',
      '^azure:keyvault:',
    ],
    sources: ['BANKVAULTS-SECRET-INIT'],
  },
  { injector: '1Password secrets injector', patterns: ['^op://'], sources: ['OP-INJECTOR'] },
  { injector: 'Akeyless secrets injector', patterns: ['^akeyless:'], sources: ['AKEYLESS'] },
  { injector: 'akv2k8s env injector', patterns: ['@azurekeyvault$'], sources: ['AKV2K8S'] },
  { injector: 'Berglas', patterns: ['^berglas://', '^sm://'], sources: ['BERGLAS'] },
  { injector: 'SecretHub', patterns: ['^secrethub://'], sources: ['SECRETHUB'] },
];
