/**
 * @module cli/pipeline — what inject and explain share: load the configuration, read every input,
 * split it into manifests, and keep the problems (in input order) for the end.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { EngineConfig } from '../core/index.js';
import type { Io } from '../program.js';
import { readInputs } from './inputs.js';
import { parseManifests } from './manifests.js';
import type { Manifest, Unread } from './manifests.js';
import type { InputProblem } from './problems.js';

/** The options every manifest command takes. */
export interface ManifestOptions {
  /** `-f` values: files, directories, `-` for stdin. */
  readonly filenames: readonly string[];
  /** `--config FILE`: catalog and timing overrides (the server's config file format). */
  readonly config: string | undefined;
  /** `--mesh`: the config's `mesh`, validated with the file. */
  readonly mesh?: string | undefined;
}

/** The engine settings, the manifests read, every document in input order, and the problems. */
export interface Loaded {
  readonly engine: EngineConfig;
  readonly manifests: readonly Manifest[];
  readonly documents: readonly (Manifest | Unread)[];
  readonly problems: readonly InputProblem[];
}

/** loadManifests loads the config first (a bad config stops everything), then the inputs. */
export async function loadManifests(options: ManifestOptions, io: Io): Promise<Loaded> {
  const config = await loadConfig(
    options.config === undefined ? undefined : resolve(io.cwd, options.config),
    options.mesh === undefined ? undefined : { mesh: options.mesh },
  );
  const manifests: Manifest[] = [];
  const documents: (Manifest | Unread)[] = [];
  const problems: InputProblem[] = [];
  for (const input of await readInputs(options.filenames, io)) {
    if (!('text' in input)) {
      problems.push(input);
      continue;
    }
    const parsed = parseManifests(input);
    manifests.push(...parsed.manifests);
    documents.push(...parsed.documents);
    problems.push(...parsed.problems);
  }
  return { engine: config.engine, manifests, documents, problems };
}
