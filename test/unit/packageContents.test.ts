// The extension as people install it: the manifest has what a marketplace page needs, and the .vsix
// holds what the extension loads at run time and nothing else. The file list is asked of vsce itself
// (`vsce ls`, with the readme `npm run package` gives it), which applies .vscodeignore as packaging does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI_ENTRIES } from '../../scripts/lib/nodeBundles.mjs';

const ROOT = resolve(__dirname, '..', '..');
const README = 'docs/extension-readme.md';

interface Manifest {
  name: string;
  displayName?: string;
  description?: string;
  publisher?: string;
  license?: string;
  icon?: string;
  homepage?: string;
  repository?: { type?: string; url?: string };
  bugs?: { url?: string };
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  keywords?: string[];
  contributes: Record<string, unknown>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** The marketplace's categories (vsce refuses others). */
const CATEGORIES = new Set([
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Education',
  'Extension Packs',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Other',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
]);

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Every file path the manifest's contributions name (icons, grammars, language configurations, walkthrough media). */
function referencedPaths(value: unknown, key = ''): string[] {
  if (typeof value === 'string')
    return /^(icon|path|configuration|image|markdown|svg|light|dark|hc|hcLight)$/.test(key) && /\.(png|svg|json|md|gif|jpe?g)$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => referencedPaths(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => referencedPaths(v, k));
  return [];
}

const normal = (p: string) => p.replace(/^\.\//, '');

/** The parts bundled apart and loaded on first use (src/core/bundledPart.ts): each a dist/NAME.js. */
const PARTS = Object.keys(CLI_ENTRIES)
  .filter((n) => n !== 'cli')
  .map((n) => `dist/${n}.js`);

let listed: string[] | undefined;
function packagedFiles(): string[] {
  if (listed) return listed;
  // vsce lists only files that exist: on a fresh clone, build first (the development build, ~1 s).
  if (![...PARTS, 'dist/extension.js'].every((f) => existsSync(join(ROOT, f)))) {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  }
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies', '--readme-path', README], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  listed = out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return listed;
}

test('the manifest has what a marketplace page shows: icon, links, banner, categories, keywords', () => {
  for (const field of ['displayName', 'description', 'publisher', 'license'] as const) assert.ok(manifest[field], `package.json has no ${field}`);
  assert.ok(manifest.icon, 'package.json names no icon');
  const icon = join(ROOT, manifest.icon);
  assert.ok(existsSync(icon), `the icon ${manifest.icon} does not exist`);
  assert.deepEqual(pngSize(readFileSync(icon)), { width: 128, height: 128 }, `${manifest.icon} must be a 128×128 PNG (the marketplace takes no SVG icon)`);
  for (const [what, url] of [
    ['repository.url', manifest.repository?.url],
    ['bugs.url', manifest.bugs?.url],
    ['homepage', manifest.homepage],
  ] as const) {
    assert.match(url ?? '', /^https:\/\/[^\s]+$/, `${what} must be an https URL`);
  }
  assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i, 'galleryBanner.color is a hex colour');
  assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''), 'galleryBanner.theme is dark or light');
  assert.ok((manifest.categories ?? []).length > 0, 'no category');
  for (const c of manifest.categories ?? []) assert.ok(CATEGORIES.has(c), `"${c}" is not a marketplace category`);
  const keywords = manifest.keywords ?? [];
  assert.ok(keywords.length >= 5 && keywords.length <= 30, `keywords: ${keywords.length}, the marketplace takes up to 30`);
  assert.equal(new Set(keywords).size, keywords.length, 'a keyword given twice');
});

test('the .vsix ships what the extension loads at run time, and no sources, tests, maps or node_modules', () => {
  const files = packagedFiles();
  const required = [
    'package.json',
    'LICENSE',
    'CHANGELOG.md',
    README,
    'dist/extension.js',
    ...PARTS,
    'dist/libpg-query.wasm',
    ...['plan', 'dashboard', 'loadtest'].flatMap((p) => [`dist/webview/${p}.js`, `dist/webview/${p}.css`]),
    ...[13, 14, 15, 16, 17, 18].map((m) => `dist/catalog/pg${m}.json`),
    'dist/catalog/serverNames.json',
    normal(manifest.icon ?? 'media/icon.png'),
    ...referencedPaths(manifest.contributes).map(normal),
  ];
  for (const want of new Set(required)) assert.ok(files.includes(want), `${want} is not in the package (${files.length} files: ${files.join(', ')})`);
  // What may be in it at all: the manifest, its texts, the bundles and their data, media, grammars.
  const allowed = [
    /^(package\.json|LICENSE|CHANGELOG\.md)$/,
    new RegExp(`^${README.replace(/\./g, '\\.')}$`),
    /^dist\/[\w-]+\.(js|wasm)$/,
    /^dist\/webview\/[\w-]+\.(js|css)$/,
    /^dist\/catalog\/[\w-]+\.json$/,
    /^media\/[\w-]+\.(png|svg|json)$/,
    /^media\/walkthrough\/[\w-]+\.(md|png|svg)$/,
    /^syntaxes\/[\w-]+\.tmLanguage\.json$/,
  ];
  const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
  assert.deepEqual(stray, [], 'files the extension does not load at run time');
  // The icon's SVG source is drawn from, never loaded.
  assert.ok(!files.includes('media/icon.svg'), 'media/icon.svg is the source of icon.png, not a run-time file');
});

test("the marketplace page's pictures exist and are PNG (vsce refuses SVG images in a README)", () => {
  const text = readFileSync(join(ROOT, README), 'utf8');
  const images = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length >= 4, `${README} shows ${images.length} pictures`);
  for (const src of images) {
    assert.ok(!/^[a-z]+:/i.test(src), `${src}: a relative path, which vsce turns into the repository's address`);
    // vsce joins a relative link to the repository's root, whatever folder the readme is in.
    const file = resolve(ROOT, src);
    assert.ok(existsSync(file), `${src} (from ${README}) does not exist`);
    assert.ok(pngSize(readFileSync(file)), `${src} is not a PNG`);
  }
});
