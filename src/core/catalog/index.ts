/** @module catalog — the catalog of engines as one value: images, negatives, operators, mirrors, roles, profiles. */
import type { Family } from '../families.js';
import { HA_MANAGERS } from './ha.js';
import { IMAGES } from './images.js';
import { INJECTORS } from './injectors.js';
import { MESHES } from './meshes.js';
import { MIRRORS } from './mirrors.js';
import { NEGATIVES } from './negatives.js';
import { OPERATORS } from './operators.js';
import { PROFILES } from './profiles.js';
import { ROLES } from './roles.js';
import type {
  FamilyProfile,
  HaRule,
  ImageVariant,
  InjectorRule,
  MeshRule,
  MirrorRule,
  NegativeImage,
  OperatorRule,
  RoleTable,
} from './types.js';

export type * from './types.js';
export { SHELLS, WRAPPERS } from './roles.js';

/** The whole catalog; the default one is built from the data modules, config may extend it. */
export interface Catalog {
  readonly images: readonly ImageVariant[];
  readonly negatives: readonly NegativeImage[];
  readonly operators: readonly OperatorRule[];
  readonly mirrors: readonly MirrorRule[];
  readonly ha: readonly HaRule[];
  readonly injectors: readonly InjectorRule[];
  readonly meshes: readonly MeshRule[];
  readonly roles: Readonly<Record<Family, RoleTable>>;
  readonly profiles: Readonly<Record<Family, FamilyProfile>>;
}

export const DEFAULT_CATALOG: Catalog = {
  images: IMAGES,
  negatives: NEGATIVES,
  operators: OPERATORS,
  mirrors: MIRRORS,
  ha: HA_MANAGERS,
  injectors: INJECTORS,
  meshes: MESHES,
  roles: ROLES,
  profiles: PROFILES,
};
