/** The functions of the optional `@vib/native-blas` addon (see that package's index.d.ts). */
export interface NativeBlas {
  sgemm(
    heap: Float32Array, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    aOff: number, lda: number, bOff: number, ldb: number, beta: number, cOff: number, ldc: number,
  ): void;
  biasAct(heap: Float32Array, cOff: number, rows: number, cols: number, biasOff: number, act: 0 | 1): void;
  adam(
    heap: Float32Array, n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number,
  ): void;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  config(): string;
  readonly addonPath: string;
}
