/**
 * @module server/file-watch — call back when files may have changed, for certificate and config
 * reloads.
 *
 * It watches the *directories*, not the files: a Secret or ConfigMap volume is updated by the
 * kubelet writing a new timestamped directory and atomically renaming the `..data` symlink to it
 * (kubernetes pkg/volume/util/atomic_writer.go), so the watched file's inode never changes and a
 * watch on the file would see nothing, or lose track after the first swap. Events are debounced,
 * and a slow poll backs the watch up where inotify is unreliable (network file systems, some
 * container runtimes), as controller-runtime's certwatcher also does. Callers compare contents,
 * so a spurious callback costs one read.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Options of watchFiles. */
export interface WatchOptions {
  /** Quiet time after the last event before calling back (the swap is several events). */
  readonly debounceMs: number;
  /** Poll period; 0 disables polling. */
  readonly pollMs: number;
  /** Watch failures (the callback keeps being driven by the poll). */
  readonly onError: (error: unknown) => void;
}

/** A running watch. */
export interface FileWatch {
  close(): void;
}

/** watchFiles calls `onChange` (debounced) when anything in the files' directories changes. */
export function watchFiles(
  paths: readonly string[],
  onChange: () => void,
  options: WatchOptions,
): FileWatch {
  let timer: NodeJS.Timeout | undefined;
  const trigger = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, options.debounceMs);
  };
  const directories = [...new Set(paths.map((p) => dirname(resolve(p))))];
  const watchers: FSWatcher[] = [];
  for (const directory of directories) {
    try {
      const watcher = watch(directory, { persistent: false }, trigger);
      watcher.on('error', options.onError);
      watchers.push(watcher);
    } catch (error) {
      options.onError(error);
    }
  }
  const poll = options.pollMs > 0 ? setInterval(trigger, options.pollMs) : undefined;
  poll?.unref();
  return {
    close: () => {
      for (const watcher of watchers) watcher.close();
      if (timer !== undefined) clearTimeout(timer);
      if (poll !== undefined) clearInterval(poll);
    },
  };
}
