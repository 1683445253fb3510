/**
 * Loads the maintained forecasting library (W-25): Prophet from `@bsull/augurs` (Rust, compiled to WebAssembly)
 * with Prophet's Stan model as its optimizer (`@bsull/augurs-prophet-wasmstan`). Both are ESM + WASM: in Node the
 * wasm-bindgen module is initialised with the bytes of its .wasm file (its default, `fetch(new URL(…))`, does not
 * work on file: URLs); the optimizer reads its own .wasm files with node:fs. Both packages are in
 * `serverExternalPackages` (next.config.js), so the Next.js server loads them natively from node_modules instead of
 * bundling them. Loaded once per process, on first use.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

type ProphetModule = typeof import('@bsull/augurs/prophet');
type Optimizer = (typeof import('@bsull/augurs-prophet-wasmstan'))['optimizer'];

export type ProphetLib = { Prophet: ProphetModule['Prophet']; optimizer: Optimizer };

let loading: Promise<ProphetLib> | null = null;

/** The file next to an installed package's entry (resolved from the project, not from a bundle). */
function packageFile(entry: string, file: string): string {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return path.join(path.dirname(req.resolve(entry)), file);
}

export function loadProphet(): Promise<ProphetLib> {
  loading ??= (async () => {
    const prophetEntry = '@bsull/augurs/prophet';
    const optimizerEntry = '@bsull/augurs-prophet-wasmstan';
    const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ prophetEntry)) as ProphetModule;
    await mod.default({ module_or_path: await readFile(packageFile(prophetEntry, 'prophet_bg.wasm')) });
    const { optimizer } = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ optimizerEntry)) as {
      optimizer: Optimizer;
    };
    return { Prophet: mod.Prophet, optimizer };
  })().catch((e: unknown) => {
    loading = null; // a later call may retry
    throw e;
  });
  return loading;
}
