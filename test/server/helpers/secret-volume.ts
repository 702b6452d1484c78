/**
 * A directory laid out like a Secret volume and updated the way the kubelet does it
 * (kubernetes pkg/volume/util/atomic_writer.go): files live in a timestamped directory, `..data`
 * is a symlink to it, the visible names are symlinks through `..data`, and an update writes a new
 * directory, points `..data_tmp` at it and renames `..data_tmp` over `..data` in one step.
 */
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A Secret-like volume with the given keys. */
export interface SecretVolume {
  readonly dir: string;
  path(key: string): string;
  publish(files: Readonly<Record<string, string>>): Promise<void>;
}

/** secretVolume creates the volume in `dir` with the first version of `files`. */
export async function secretVolume(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<SecretVolume> {
  let version = 0;
  let previous: string | undefined;
  const publish = async (next: Readonly<Record<string, string>>): Promise<void> => {
    version += 1;
    const stamped = `..2026_01_01_00_00_0${version}.${process.pid}`;
    await mkdir(join(dir, stamped), { recursive: true });
    for (const [key, text] of Object.entries(next)) await writeFile(join(dir, stamped, key), text);
    await symlink(stamped, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    for (const key of Object.keys(next)) {
      await symlink(join('..data', key), join(dir, key)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      });
    }
    if (previous !== undefined) await rm(join(dir, previous), { recursive: true });
    previous = stamped;
  };
  await mkdir(dir, { recursive: true });
  await publish(files);
  return { dir, path: (key) => join(dir, key), publish };
}
