/**
 * @module bench/lib/flamegraph — render folded stacks (`a;b;c weight`) as a self-contained SVG
 * flame graph (Brendan Gregg's layout: root at the bottom, width = share of samples, hover shows
 * the frame and its share). Written here so the benchmark needs no browser, network or extra
 * tool; the folded file it reads also opens in speedscope, inferno or flamegraph.pl.
 */

interface Frame {
  readonly name: string;
  weight: number;
  readonly children: Map<string, Frame>;
}

const WIDTH = 1600;
const ROW = 16;
const MIN_PX = 0.3;

function tree(folded: readonly string[]): Frame {
  const root: Frame = { name: 'all', weight: 0, children: new Map() };
  for (const line of folded) {
    const at = line.lastIndexOf(' ');
    const weight = Number(line.slice(at + 1));
    if (!Number.isFinite(weight) || weight <= 0) continue;
    root.weight += weight;
    let node = root;
    for (const name of line.slice(0, at).split(';')) {
      let child = node.children.get(name);
      if (child === undefined) {
        child = { name, weight: 0, children: new Map() };
        node.children.set(name, child);
      }
      child.weight += weight;
      node = child;
    }
  }
  return root;
}

function depthOf(frame: Frame): number {
  let deepest = 0;
  for (const child of frame.children.values()) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** colour gives project code, dependencies and Node internals different hues. */
function colour(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  const shade = 150 + (hash % 80);
  if (name.includes('(src/') || name.includes('(dist/'))
    return `rgb(${shade - 60},${shade},${shade - 90})`;
  if (name.includes('node:') || name.startsWith('(')) return `rgb(${shade},${shade},${shade})`;
  return `rgb(240,${shade - 40},${Math.max(0, shade - 150)})`;
}

/** renderFlameGraph returns an SVG document for the folded stacks. */
export function renderFlameGraph(folded: readonly string[], title: string): string {
  const root = tree(folded);
  const depth = depthOf(root);
  const height = (depth + 2) * ROW + 30;
  const scale = WIDTH / Math.max(1, root.weight);
  const rects: string[] = [];
  const draw = (frame: Frame, x: number, level: number): void => {
    const width = frame.weight * scale;
    if (width < MIN_PX) return;
    const y = height - (level + 1) * ROW - 10;
    const share = ((frame.weight / root.weight) * 100).toFixed(2);
    const label = width > 40 ? escape(frame.name.slice(0, Math.floor(width / 7))) : '';
    rects.push(
      `<g><title>${escape(frame.name)} (${share}%)</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${ROW - 1}" fill="${colour(frame.name)}"/>` +
        `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 4}">${label}</text></g>`,
    );
    let offset = x;
    const children = [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      draw(child, offset, level + 1);
      offset += child.weight * scale;
    }
  };
  draw(root, 0, 0);
  return [
    `<?xml version="1.0" standalone="no"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf5"/>`,
    `<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-size="14">${escape(title)}</text>`,
    ...rects,
    '</svg>',
    '',
  ].join('\n');
}
