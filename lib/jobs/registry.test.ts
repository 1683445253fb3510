import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');

/** Every `lib/**\/jobs.ts` below lib/ (the domain job modules). */
function jobModules(dir = path.join(root, 'lib')): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jobModules(p));
    else if (e.name === 'jobs.ts' && !p.endsWith(path.join('lib', 'jobs', 'jobs.ts'))) out.push(p);
  }
  return out;
}

describe('job registry', () => {
  it('imports every domain job module on a line of its own (not inside a comment)', () => {
    // Block comments out first: an import line written inside the doc comment registers nothing.
    const src = fs.readFileSync(path.join(root, 'lib', 'jobs', 'registry.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const imported = new Set(
      src
        .split('\n')
        .map((l) => /^import '@\/(lib\/[\w/-]+)';$/.exec(l)?.[1])
        .filter((x): x is string => !!x),
    );
    const modules = jobModules().map((p) => path.relative(root, p).replace(/\.ts$/, '').split(path.sep).join('/'));
    expect(modules.length).toBeGreaterThan(5);
    expect(modules.filter((m) => !imported.has(m))).toEqual([]);
  });
});
