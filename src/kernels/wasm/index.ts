/**
 * The WebAssembly SIMD backend of the kernels: the module built from assembly/kernels.ts (see
 * scripts/build-wasm.mjs), its memory, and the choice of backend. The TypeScript kernels are the reference
 * and the fallback: every WebAssembly kernel gives the same bits as its TypeScript twin (same order of every
 * sum, one output per SIMD lane, no fused multiply-add), so a result never depends on the backend.
 *
 * Loading: on first use, synchronously where the engine allows it (Node; a browser's main thread refuses
 * large synchronous compiles, and then the module compiles in the background while the TypeScript kernels
 * run). An engine without WebAssembly SIMD keeps the TypeScript kernels.
 * @packageDocumentation
 */
import { WASM_KERNELS_BASE64, WASM_KERNELS_SHARED_BASE64 } from './module.js';

/** The exports of the kernel module (arguments are byte offsets into its memory). */
interface KernelExports {
  gemmNN(c: number, a: number, b: number, m: number, n: number, k: number, panel: number): void;
  transpose(out: number, a: number, rows: number, cols: number): void;
}

/** The part of a WebAssembly.Memory the kernels use. */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the WebAssembly namespace used here (the library's TypeScript lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => Memory;
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
}

/** The loaded module: its exports and memory, and the compiled module (for worker threads). */
export interface WasmKernels {
  readonly exports: KernelExports;
  readonly memory: Memory;
  readonly module: object;
  /** Whether the memory is shared (Node), so that worker threads can run the kernels on it. */
  readonly shared: boolean;
}

const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Which kernels run: `'auto'` (WebAssembly SIMD where available, else TypeScript), or one of them. */
export type KernelBackend = 'auto' | 'wasm' | 'typescript';

let choice: KernelBackend = 'auto';
let loaded: WasmKernels | null = null;
/** 'untried' until the first use; 'pending' while an asynchronous compile runs; 'failed' for good. */
let status: 'untried' | 'pending' | 'ready' | 'failed' = 'untried';
let failure = '';

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Node shares the memory with worker threads; elsewhere shared memory needs cross-origin isolation. */
const inNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

function instantiate(wasm: WasmApi, module: object): WasmKernels {
  const memory = inNode
    ? new wasm.Memory({ initial: 16, maximum: 65536, shared: true })
    : new wasm.Memory({ initial: 16 });
  const instance = new wasm.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('implicit-bias: a WebAssembly kernel aborted');
      },
    },
  });
  return { exports: instance.exports as unknown as KernelExports, memory, module, shared: inNode };
}

function load(): void {
  const wasm = api;
  if (typeof wasm !== 'object' || wasm === null || typeof wasm.Module !== 'function') {
    status = 'failed';
    failure = 'no WebAssembly in this engine';
    return;
  }
  const bytes = decode(inNode ? WASM_KERNELS_SHARED_BASE64 : WASM_KERNELS_BASE64);
  if (!wasm.validate(bytes)) {
    status = 'failed';
    failure = 'this engine has no WebAssembly SIMD';
    return;
  }
  try {
    loaded = instantiate(wasm, new wasm.Module(bytes));
    status = 'ready';
  } catch {
    // A browser's main thread may refuse a synchronous compile: compile in the background instead.
    status = 'pending';
    wasm.compile(bytes).then(
      (module) => {
        loaded = instantiate(wasm, module);
        status = 'ready';
      },
      (e: unknown) => {
        status = 'failed';
        failure = String(e);
      },
    );
  }
}

/** The WebAssembly kernels when they are chosen and loaded, else null (the TypeScript kernels run). */
export function wasmKernels(): WasmKernels | null {
  if (choice === 'typescript') return null;
  if (status === 'untried') load();
  return loaded;
}

/**
 * Chooses the kernels: `'auto'` (the default) uses WebAssembly SIMD where the engine has it and the
 * TypeScript kernels elsewhere; `'typescript'` forces the reference kernels; `'wasm'` requires the
 * WebAssembly ones (throws if they cannot load here). Results are the same bits whichever runs: this is for
 * measuring and debugging, not for accuracy. Returns the previous choice.
 *
 * @example
 * const previous = setKernelBackend('typescript');
 * // … run, compare …
 * setKernelBackend(previous);
 */
export function setKernelBackend(backend: KernelBackend): KernelBackend {
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'typescript') {
    throw new TypeError(
      `setKernelBackend: backend must be 'auto', 'wasm' or 'typescript', got ${String(backend)}`,
    );
  }
  const previous = choice;
  choice = backend;
  if (backend === 'wasm') {
    if (status === 'untried') load();
    if (loaded === null) {
      choice = previous;
      throw new Error(
        `setKernelBackend: the WebAssembly kernels are not available here (${failure || status})`,
      );
    }
  }
  return previous;
}

/** Which kernels run now, and why the WebAssembly ones do not when they do not. */
export function kernelBackend(): { backend: 'wasm' | 'typescript'; choice: KernelBackend; note: string } {
  const w = wasmKernels();
  return {
    backend: w === null ? 'typescript' : 'wasm',
    choice,
    note: w !== null ? 'WebAssembly SIMD (f64x2)' : choice === 'typescript' ? 'chosen' : failure || status,
  };
}

/**
 * A Float64Array view of at least `doubles` doubles of the module's memory from byte 0, growing the
 * memory when needed (a grow detaches earlier views: take a new one after every call that may grow).
 */
export function wasmView(w: WasmKernels, doubles: number): Float64Array {
  const bytes = doubles * 8;
  const have = w.memory.buffer.byteLength;
  if (have < bytes) w.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float64Array(w.memory.buffer as ArrayBuffer);
}
