// @vib/native-blas: sgemm (a kernel of its own where the CPU has AVX-512 or AVX2 + FMA, else OpenBLAS), bias+activation, column
// and row sums, a fused Adam update, the weights' EMA, vectorized exp/log family kernels and tf.randomNormal's normal draws
// over interleaved lanes of its stream, on Float32Array views.
// All offsets are in float elements into the given array (e.g. the tfjs wasm heap, HEAPF32);
// every range is bounds-checked before BLAS touches memory.
#include <napi.h>
#include <cblas.h>
#include <cmath>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gemm-avx2.h"
#include "conv-fields.h"
#include "gemm-avx512.h"
#include "polar-normal.h"
#include "thread-pool.h"
#include "vec-fused.h"

extern "C" {
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
char* openblas_get_config(void);
}

namespace {

// The thread count (setNumThreads; at load, OpenBLAS's own choice: OPENBLAS_NUM_THREADS or the cores). The addon's
// pool runs the products, Adam, the EMA and the normal draws on this many threads; OpenBLAS itself is kept at one
// (see BlasProduct).
int gThreads = 1;

bool Fail(Napi::Env env, const std::string& msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return false;
}

// Sizes and spans are formed from a caller's numbers in int64 without wrapping: a product or sum past int64's range
// saturates (at kPastAny, or its negative), and no array is that long, so absurd sizes from a caller of the addon
// cannot wrap around into a range that passes InRange.
constexpr int64_t kPastAny = std::numeric_limits<int64_t>::max();
int64_t Saturated(bool negative) { return negative ? std::numeric_limits<int64_t>::min() : kPastAny; }
int64_t Times(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? Saturated((a < 0) != (b < 0)) : r;
}
int64_t Plus(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? Saturated(a < 0) : r;
}
// n as a message writes it: "past 2^63" where it saturated.
std::string Count(int64_t n) { return n == kPastAny ? std::string("past 2^63") : std::to_string(n); }
// The floats `rows` rows of `cols` floats, `ld` apart, span: (rows − 1)·ld + cols, 0 for no rows.
int64_t RowsSpan(int64_t rows, int64_t ld, int64_t cols) { return rows <= 0 ? 0 : Plus(Times(rows - 1, ld), cols); }

// Checks that [off, off + span) lies inside `arr`.
bool InRange(Napi::Env env, const Napi::Float32Array& arr, int64_t off, int64_t span, const char* what) {
  const int64_t length = static_cast<int64_t>(arr.ElementLength());
  if (off < 0 || span < 0 || span > length || off > length - span) {
    return Fail(env, std::string("native-blas: ") + what + " range [" + Count(off) + ", " + Count(Plus(off, span)) +
                         ") is outside the array of length " + std::to_string(length));
  }
  return true;
}

// Pieces per thread of a ParallelFor: the threads claim pieces as they come, so one that starts late (a worker woken
// from sleep takes 0.2–0.3 ms on a 2-core VM) or runs slower takes fewer. With one contiguous half each, the calling
// thread waited for the worker after its own half in 63 % of the VIB step's loops (Adam, the EMA), 68 µs per loop
// on average; with 8 pieces a thread, 33 µs (2-core Zen 4, 2026-12-06, counted in the pool).
constexpr int64_t kPiecesPerThread = 8;

// Runs body(lo, hi) over [0, n) in contiguous pieces (piecesPerThread a thread, each claimed by whichever thread is
// free). It uses the addon's thread count (the --threads setting), and only where each thread gets at least
// minPerThread units (2^16 floats by default), so small tensors pay nothing for it. Every unit is computed by one
// thread with the same arithmetic, so results are bitwise those of one thread. The optimizer and EMA passes over a
// model's weights are memory-bound loops that one core does not saturate.
// With onlyIfAwake, it splits only where the pool's workers are watching for work (Pool::WorkersAwake): a loop of
// tens of microseconds would otherwise wait for a sleeping worker's wake.
// Returns whether it split the work.
template <typename Body>
bool ParallelFor(int64_t n, const Body& body, int64_t minPerThread = int64_t{1} << 16, int64_t align = 16,
                 int64_t piecesPerThread = kPiecesPerThread, bool onlyIfAwake = false) {
  const int64_t threads = std::min<int64_t>(gThreads, n / minPerThread);
  if (threads <= 1 || (onlyIfAwake && !pool::Pool::Get().WorkersAwake(static_cast<int>(threads)))) {
    body(0, n);
    return false;
  }
  // pieces of a multiple of `align` units (16 floats: every piece but the last starts on a 64-byte boundary)
  const int64_t parts = piecesPerThread * threads;
  const int64_t piece = ((n + parts - 1) / parts + align - 1) / align * align;
  std::atomic<int64_t> next{0};
  pool::Pool::Get().Run(static_cast<int>(threads), [&](int) {
    for (int64_t lo = next.fetch_add(piece, std::memory_order_relaxed); lo < n;
         lo = next.fetch_add(piece, std::memory_order_relaxed)) {
      body(lo, std::min(n, lo + piece));
    }
  });
  return true;
}

// Whether v is a Float32Array (any other typed array read as floats would reach past its buffer).
bool IsFloat32Array(const Napi::Value& v) { return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array; }

// A call's scalar arguments, each read once (one N-API call for a number) and checked: a finite number, or a boolean
// (read as 1 or 0). A NaN or an infinity would otherwise be read as 0, and a string as nothing at all.
class Scalars {
 public:
  static constexpr size_t kMax = 24;
  // Reads info[from…to) (to ≤ kMax); otherwise throws, naming the argument and the usage line, and returns false.
  bool Read(const Napi::CallbackInfo& info, size_t from, size_t to, const char* usage) {
    if (to > kMax) return Fail(info.Env(), std::string("native-blas: internal: more than 24 arguments: ") + usage);
    for (size_t i = from; i < to; ++i) {
      double x = 0;
      bool flag = false;
      const bool number = napi_get_value_double(info.Env(), info[i], &x) == napi_ok;
      if (number ? !std::isfinite(x) : napi_get_value_bool(info.Env(), info[i], &flag) != napi_ok) {
        return Fail(info.Env(), std::string("native-blas: argument ") + std::to_string(i) + " is not a finite number: " + usage);
      }
      v_[i] = number ? x : (flag ? 1 : 0);
    }
    return true;
  }
  // Argument i as an integer: its fraction dropped, saturated at int64's range.
  int64_t I(size_t i) const {
    const double x = v_[i];
    return x >= 0x1p63 ? std::numeric_limits<int64_t>::max() : x <= -0x1p63 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(x);
  }
  float F(size_t i) const { return static_cast<float>(v_[i]); }
  double D(size_t i) const { return v_[i]; }
  bool B(size_t i) const { return v_[i] != 0; }

 private:
  double v_[kMax] = {};
};

// The heap argument (info[0]) into `heap` and the others into `a`, for a call of at least `count` arguments whose
// first is a Float32Array and whose others are scalars (Scalars::Read); otherwise throws (the usage line,
// "native-blas: " + usage, or the argument that is not a scalar) and returns false.
bool HeapArgs(const Napi::CallbackInfo& info, size_t count, const char* usage, Napi::Float32Array& heap, Scalars& a) {
  if (info.Length() < count || !IsFloat32Array(info[0])) return Fail(info.Env(), std::string("native-blas: ") + usage);
  if (!a.Read(info, 1, count, usage)) return false;
  heap = info[0].As<Napi::Float32Array>();
  return true;
}

// Elements a thread takes at least in the exp/log-family passes (unary, fused): at 0.8–3.8 ns an element (2-core
// Zen 4), 8,192 elements are 7–30 µs of work, against 1–2 µs to hand a piece to a worker already watching.
constexpr int64_t kVecMinPerThread = 8192;

std::atomic<int64_t> gVecSplits{0};  // elementwise passes split over threads since the addon loaded (vecSplits)

// ParallelFor for the elementwise passes: pieces of 16 floats' multiples (each element is computed alone, so any
// split gives the same bits), and only where the workers are awake (see ParallelFor).
template <typename Body>
void VecParallelFor(int64_t n, const Body& body, int64_t minPerThread = kVecMinPerThread) {
  if (ParallelFor(n, body, minPerThread, 16, kPiecesPerThread, true)) gVecSplits.fetch_add(1, std::memory_order_relaxed);
}

// The addon's own GEMM, by the instructions it was built for (-march=native): gemm-avx512.h, else gemm-avx2.h (AVX2
// and FMA), else none. Both sum each element in the same order, so they give the same bits.
#if defined(__AVX512F__)
#define VIB_OWN_GEMM 1
constexpr const char* kOwnGemm = "avx512";
#elif defined(__AVX2__) && defined(__FMA__)
#define VIB_OWN_GEMM 1
constexpr const char* kOwnGemm = "avx2";
#else
constexpr const char* kOwnGemm = "";
#endif
constexpr bool kHasOwnGemm = kOwnGemm[0] != '\0';
// Whether the own GEMM is the default: gemm-avx512.h is (it beat OpenBLAS on the VIB steps), gemm-avx2.h is not. On a
// 2026-12-04 AMD EPYC with AVX2 the VIB step (batch 100) took 26–30 ms with it against 23–24 with OpenBLAS's Haswell
// kernels; it is there for its bits, which are gemm-avx512.h's whatever the thread count (setGemmKernel("avx2")).
#if defined(__AVX512F__)
constexpr bool kOwnGemmByDefault = true;
#else
constexpr bool kOwnGemmByDefault = false;
#endif
// Whether sgemm's plain products (alpha 1, beta 0) use the own GEMM rather than OpenBLAS, switched by setGemmKernel.
bool gOwnGemm = kOwnGemmByDefault;

// Products of a few rows (M ≤ gemm::kSkinnyM, neither operand transposed: inference on one to four inputs) take the
// own GEMM's few-row path (`gemm::Skinny`, which streams B once in place) wherever the addon has an own GEMM, whatever
// kernel the plain products take: also on AVX2 hosts, whose plain products default to OpenBLAS, and after
// setGemmKernel("openblas"). On a 2-core Zen 5, a 1×1024 by 1024×1024 product took 54 µs on one thread against the
// packed GEMM's 264 and OpenBLAS's 228, and 31 µs on two against the packed GEMM's 123 (AVX-512 build); in a build
// without AVX-512 55 µs against 403 and 222, 37 against 142; the packed GEMM's bits on every shape measured. The
// columns are split between the threads where each gets at least this many floats of B (2^17 in all for two: a
// 256×1024 B took 12 µs on one thread and 8 on two, with the workers awake; a 45×300 B lost on two).
constexpr int64_t kSkinnyFloatsPerThread = int64_t{1} << 16;
void UseOwnGemm(bool own) { gOwnGemm = kHasOwnGemm && own; }

// Products below this many multiply-adds run on one thread: waking a worker costs about 20 µs.
constexpr int64_t kGemmParallelMacs = int64_t{1} << 22;

// C = alpha·op(A)·op(B) + beta·C by OpenBLAS on `threads` threads of the addon's pool: C cut into bands of rows
// (where M ≥ N) or of columns, at multiples of 16, each band one single-threaded cblas_sgemm. OpenBLAS's own threads
// are not used. They spun after each product, on the cores where the pool then ran Adam and the other loops, and
// the pool had to sleep at once between calls to leave them room. On a 2026-12-04 AMD EPYC (AVX2, 2 cores), this
// way against OpenBLAS's threads, side by side in one process over 8 rounds: the VIB step (batch 100) 14.3 ms
// against 16.9, the inference 2.83 against 3.37.
void BlasProduct(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* a, int64_t lda,
                 const float* b, int64_t ldb, float beta, float* c, int64_t ldc, int threads) {
  const auto one = [&](int64_t rows, int64_t cols, const float* ap, const float* bp, float* cp) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(rows),
                static_cast<int>(cols), static_cast<int>(K), alpha, ap, static_cast<int>(lda), bp,
                static_cast<int>(ldb), beta, cp, static_cast<int>(ldc));
  };
  const bool byRows = M >= N;
  const int64_t len = byRows ? M : N;
  const int64_t parts = std::min<int64_t>(threads, len / 16);
  if (parts <= 1) {
    one(M, N, a, b, c);
    return;
  }
  const int64_t band = ((len + parts - 1) / parts + 15) / 16 * 16;
  pool::Pool::Get().Run(static_cast<int>(parts), [&](int t) {
    const int64_t lo = t * band, hi = std::min(len, lo + band);
    if (lo >= hi) return;
    if (byRows)
      one(hi - lo, N, a + (ta ? lo : lo * lda), b, c + lo * ldc);
    else
      one(M, hi - lo, a, b + (tb ? lo * ldb : lo), c + lo);
  });
}


// sgemm(heap, transA, transB, M, N, K, alpha, aOff, lda, bOff, ldb, beta, cOff, ldc): row-major
// C[M,N] = alpha * op(A) * op(B) + beta * C; plain products through the own GEMM where that is on, else OpenBLAS.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 14, "sgemm(heap, transA, transB, M, N, K, alpha, aOff, lda, bOff, ldb, beta, cOff, ldc)", heap, a)) return env.Undefined();
  bool ta = a.B(1), tb = a.B(2);
  int64_t M = a.I(3), N = a.I(4), K = a.I(5);
  float alpha = a.F(6);
  int64_t aOff = a.I(7), lda = a.I(8), bOff = a.I(9), ldb = a.I(10);
  float beta = a.F(11);
  int64_t cOff = a.I(12), ldc = a.I(13);
  if (M <= 0 || N <= 0) return env.Undefined();
  // BLAS's rule for the strides: each at least its stored row's length (so every row is in the span checked, and
  // M, N and K are each bounded by the array's length)
  const int64_t aCols = ta ? M : K, bCols = tb ? K : N;
  if (K < 0 || lda < std::max<int64_t>(1, aCols) || ldb < std::max<int64_t>(1, bCols) || ldc < N) {
    Fail(env, "native-blas: sgemm needs K >= 0 and each stride at least its row's length, got K=" + std::to_string(K) +
                  " lda=" + std::to_string(lda) + " ldb=" + std::to_string(ldb) + " ldc=" + std::to_string(ldc) + " for M=" +
                  std::to_string(M) + " N=" + std::to_string(N) + (ta ? " (transA)" : "") + (tb ? " (transB)" : ""));
    return env.Undefined();
  }
  if (!InRange(env, heap, aOff, RowsSpan(ta ? K : M, lda, aCols), "A") || !InRange(env, heap, bOff, RowsSpan(tb ? N : K, ldb, bCols), "B") ||
      !InRange(env, heap, cOff, RowsSpan(M, ldc, N), "C")) {
    return env.Undefined();
  }
  float* base = heap.Data();
  if (K == 0) {
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) base[cOff + i * ldc + j] *= beta;
    return env.Undefined();
  }
  const int threads = Times(Times(M, N), K) >= kGemmParallelMacs ? gThreads : 1;
#if defined(VIB_OWN_GEMM)
  if (alpha == 1.f && beta == 0.f && !ta && !tb && M <= gemm::kSkinnyM) {
    ParallelFor(
        N,
        [&](int64_t j0, int64_t j1) {
          gemm::Skinny<gemm::Own>(M, K, base + aOff, lda, base + bOff, ldb, base + cOff, ldc, j0, j1);
        },
        // one wide piece a thread: B's rows stream past in long runs of columns
        (kSkinnyFloatsPerThread + K - 1) / K, gemm::Own::kW, 1);
    return env.Undefined();
  }
  if (gOwnGemm && alpha == 1.f && beta == 0.f) {
    gemm::Multiply<gemm::Own>(ta, tb, M, N, K, base + aOff, lda, base + bOff, ldb, base + cOff, ldc, threads);
    return env.Undefined();
  }
#endif
  BlasProduct(ta, tb, M, N, K, alpha, base + aOff, lda, base + bOff, ldb, beta, base + cOff, ldc, threads);
  return env.Undefined();
}

// biasAct(heap, cOff, rows, cols, biasOff, act): C[i,j] = act(C[i,j] + bias[j]); biasOff < 0 for no bias;
// act 0 = linear, 1 = relu as tfjs-wasm's Relu and the pure tier's epilogue compute it (max(x, 0): NaN stays NaN,
// as on tfjs's cpu backend, so a NaN that reached a ReLU layer still ends the run; −0 becomes 0).
Napi::Value BiasAct(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 6, "biasAct(heap, cOff, rows, cols, biasOff, act)", heap, a)) return env.Undefined();
  int64_t cOff = a.I(1), rows = a.I(2), cols = a.I(3), biasOff = a.I(4), act = a.I(5);
  if (rows < 0 || cols < 0) {
    Fail(env, "native-blas: biasAct needs non-negative rows and cols, got " + std::to_string(rows) + " and " + std::to_string(cols));
    return env.Undefined();
  }
  if (!InRange(env, heap, cOff, Times(rows, cols), "C")) return env.Undefined();
  if (biasOff >= 0 && !InRange(env, heap, biasOff, cols, "bias")) return env.Undefined();
  float* c = heap.Data() + cOff;
  const float* bias = biasOff >= 0 ? heap.Data() + biasOff : nullptr;
  for (int64_t i = 0; i < rows; ++i) {
    float* row = c + i * cols;
    if (bias)
      for (int64_t j = 0; j < cols; ++j) row[j] += bias[j];
    if (act == 1)
      for (int64_t j = 0; j < cols; ++j) row[j] = row[j] > 0.f || std::isnan(row[j]) ? row[j] : 0.f;
  }
  return env.Undefined();
}

// The Adam update on [lo, hi). A function of its own (not a lambda body) so that GCC sees plain pointer
// arguments and vectorizes the loop, square root included (-fno-math-errno).
void AdamRange(const float* p, const float* g, float* m, float* v, float* out, int64_t lo, int64_t hi, float lr, float b1,
               float b2, float eps, float c1, float c2) {
  for (int64_t i = lo; i < hi; ++i) {
    float gi = g[i];
    float mi = b1 * m[i] + (1.f - b1) * gi;
    float vi = b2 * v[i] + (1.f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = p[i] - lr * (mi * c1) / (std::sqrt(vi * c2) + eps);
  }
}

// adam(heap, n, pOff, gOff, mOff, vOff, outOff, lr, beta1, beta2, eps, c1, c2): one fused Adam update
// (Kingma & Ba 2015): m, v in place, the new parameter written at outOff (may equal pOff), with bias corrections c1 = 1/(1-beta1^t), c2 = 1/(1-beta2^t).
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 13, "adam(heap, n, pOff, gOff, mOff, vOff, outOff, lr, beta1, beta2, eps, c1, c2)", heap, a)) return env.Undefined();
  int64_t n = a.I(1), pOff = a.I(2), gOff = a.I(3), mOff = a.I(4), vOff = a.I(5);
  int64_t outOff = a.I(6);
  float lr = a.F(7), b1 = a.F(8), b2 = a.F(9), eps = a.F(10);
  const float c1 = a.F(11), c2 = a.F(12);
  if (!InRange(env, heap, pOff, n, "param") || !InRange(env, heap, gOff, n, "grad") ||
      !InRange(env, heap, mOff, n, "m") || !InRange(env, heap, vOff, n, "v") || !InRange(env, heap, outOff, n, "out")) {
    return env.Undefined();
  }
  float* base = heap.Data();
  const float* p = base + pOff;
  float *m = base + mOff, *v = base + vOff, *out = base + outOff;
  const float* g = base + gOff;
  ParallelFor(n, [=](int64_t lo, int64_t hi) { AdamRange(p, g, m, v, out, lo, hi, lr, b1, b2, eps, c1, c2); });
  return env.Undefined();
}

// One EMA step on [lo, hi): out = a·d + v·e with each product and the sum rounded to float32, as tfjs's Mul, Mul,
// Add round them (no fused multiply-add: contracting would change the last bit).
__attribute__((optimize("fp-contract=off"))) void EmaRange(const float* a, const float* v, float* out, int64_t lo,
                                                          int64_t hi, float d, float e) {
  for (int64_t i = lo; i < hi; ++i) {
    const float x = a[i] * d;
    const float y = v[i] * e;
    out[i] = x + y;
  }
}

// ema(heap, aOff, vOff, outOff, n, d, e): out[i] = a[i]·d + v[i]·e, d = decay and e = 1 − decay as float32: the
// exponential moving average of the weights, bitwise the stock kernels' result.
Napi::Value Ema(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 7, "ema(heap, aOff, vOff, outOff, n, d, e)", heap, a)) return env.Undefined();
  int64_t aOff = a.I(1), vOff = a.I(2), outOff = a.I(3), n = a.I(4);
  const float d = a.F(5), e = a.F(6);
  if (!InRange(env, heap, aOff, n, "average") || !InRange(env, heap, vOff, n, "value") || !InRange(env, heap, outOff, n, "output")) {
    return env.Undefined();
  }
  float* base = heap.Data();
  ParallelFor(n, [=](int64_t lo, int64_t hi) { EmaRange(base + aOff, base + vOff, base + outOff, lo, hi, d, e); });
  return env.Undefined();
}

// unary(heap, op, inOff, outOff, n): out[i] = f(in[i]) over n floats, vectorized (vec-math.h);
// op 0 exp, 1 log, 2 log1p, 3 softplus, 4 tanh, 5 sigmoid. Returns false for an unknown op.
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 5, "unary(heap, op, inOff, outOff, n)", heap, a)) return env.Undefined();
  int64_t op = a.I(1), inOff = a.I(2), outOff = a.I(3), n = a.I(4);
  if (!InRange(env, heap, inOff, n, "input") || !InRange(env, heap, outOff, n, "output")) return env.Undefined();
  const vecmath::UnaryFn run = vecmath::unaryFn(static_cast<int>(op));
  if (run == nullptr) return Napi::Boolean::New(env, false);
  float* base = heap.Data();
  VecParallelFor(n, [=](int64_t lo, int64_t hi) { run(base + inOff + lo, base + outOff + lo, hi - lo); });
  return Napi::Boolean::New(env, true);
}

// fused(heap, op, aOff, bOff, cOff, outOff, n): out[i] = op(a[i], b[i], c[i]) over n floats (vec-fused.h);
// c is read only by ops 2 and 3 (pass any offset otherwise). Returns false for an unknown op.
Napi::Value Fused(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 7, "fused(heap, op, aOff, bOff, cOff, outOff, n)", heap, a)) return env.Undefined();
  int64_t op = a.I(1), aOff = a.I(2), bOff = a.I(3), cOff = a.I(4), outOff = a.I(5), n = a.I(6);
  const bool readsC = vecmath::fusedReadsC(static_cast<int>(op));
  if (!InRange(env, heap, aOff, n, "a") || !InRange(env, heap, bOff, n, "b") || (readsC && !InRange(env, heap, cOff, n, "c")) ||
      !InRange(env, heap, outOff, n, "output")) {
    return env.Undefined();
  }
  const vecmath::FusedFn run = vecmath::fusedFn(static_cast<int>(op));
  if (run == nullptr) return Napi::Boolean::New(env, false);
  float* base = heap.Data();
  const float* c = readsC ? base + cOff : nullptr;
  // the ReLU mask costs 0.14 ns an element (memory-bound): split only as long loops are
  const int64_t minPerThread = op == vecmath::kReluGrad ? int64_t{1} << 16 : kVecMinPerThread;
  VecParallelFor(n, [=](int64_t lo, int64_t hi) {
    run(base + aOff + lo, base + bOff + lo, c ? c + lo : nullptr, base + outOff + lo, hi - lo);
  }, minPerThread);
  return Napi::Boolean::New(env, true);
}

// Stream outputs a thread of Polar takes at least (UNIFORMS_PER_THREAD in @vib/backends' native-normals.ts, which
// picks the lanes a round runs, is the same number).
constexpr int64_t kPolarUniformsPerThread = int64_t{1} << 14;

// polar(out, outOff, lanes, count, uniforms, mean, stdDev): normal draws with tf.randomNormal's numbers
// (polar-normal.h) over `count` lanes (a multiple of 4) of `uniforms` Alea outputs each (even). `lanes` is a
// Float64Array of 5 numbers per lane: Alea's state [c, s0, s1, s2], advanced in place, and then the lane's
// accepted pairs, written; lane i's values go to out[outOff + i·uniforms ...]. Blocks of lanes (8 in AVX-512
// registers where the CPU has them, else 4 interleaved) are split over the addon's threads (setNumThreads), where
// each thread gets at least kPolarUniformsPerThread outputs.
Napi::Value Polar(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "polar(out: Float32Array, outOff, lanes: Float64Array, count, uniforms, mean, stdDev)";
  if (info.Length() < 7 || !IsFloat32Array(info[0]) || !info[2].IsTypedArray() ||
      info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Fail(env, std::string("native-blas: ") + usage);
    return env.Undefined();
  }
  Scalars a;
  if (!a.Read(info, 1, 2, usage) || !a.Read(info, 3, 7, usage)) return env.Undefined();
  auto out = info[0].As<Napi::Float32Array>();
  auto lanes = info[2].As<Napi::Float64Array>();
  const int64_t outOff = a.I(1), count = a.I(3), uniforms = a.I(4);
  const double mean = a.D(5), stdDev = a.D(6);
  if (count <= 0 || count % 4 != 0 || uniforms < 0 || uniforms % 2 != 0) {
    Fail(env, "native-blas: polar needs a lane count that is a positive multiple of 4 and an even number of uniforms, got " +
                  std::to_string(count) + " and " + std::to_string(uniforms));
    return env.Undefined();
  }
  if (static_cast<int64_t>(lanes.ElementLength()) < Times(5, count)) {
    Fail(env, "native-blas: polar's lanes array holds " + std::to_string(lanes.ElementLength()) + " numbers, " +
                  std::to_string(Times(5, count)) + " needed (5 per lane)");
    return env.Undefined();
  }
  if (!InRange(env, out, outOff, Times(count, uniforms), "out")) return env.Undefined();
  std::vector<polar::Lane> state(count);
  std::vector<int64_t> pairs(count);
  double* l = lanes.Data();
  for (int64_t i = 0; i < count; ++i) state[i] = {l[5 * i], l[5 * i + 1], l[5 * i + 2], l[5 * i + 3]};
  float* o = out.Data() + outOff;
  // blocks of polar::kBlock lanes (8 with AVX-512, else 4; a last block of 4), over the threads where each
  // thread's blocks hold at least kPolarUniformsPerThread outputs
  const int64_t blocks = (count + polar::kBlock - 1) / polar::kBlock;
  const int64_t perBlock = std::max<int64_t>(1, polar::kBlock * uniforms);
  ParallelFor(blocks, [&](int64_t b0, int64_t b1) {
    const int64_t from = b0 * polar::kBlock, to = std::min(count, b1 * polar::kBlock);
    polar::RunLanes(o + from * uniforms, &state[from], to - from, uniforms, mean, stdDev, &pairs[from]);
  }, (kPolarUniformsPerThread + perBlock - 1) / perBlock, 1);
  for (int64_t i = 0; i < count; ++i) {
    l[5 * i] = state[i].c;
    l[5 * i + 1] = state[i].s0;
    l[5 * i + 2] = state[i].s1;
    l[5 * i + 3] = state[i].s2;
    l[5 * i + 4] = static_cast<double>(pairs[i]);
  }
  return env.Undefined();
}

// Column sums out[j] = Σ_i x[i·cols + j], each column added up in row order in float32: the order of tfjs-wasm's
// Sum (which transposes, then adds each row of the transpose from 0), so the same bits. A function of its own
// with restrict pointers so that GCC vectorizes across columns.
void ColSums(const float* __restrict x, float* __restrict out, int64_t rows, int64_t cols) {
  for (int64_t j = 0; j < cols; ++j) out[j] = 0.f;
  for (int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * cols;
    for (int64_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

// The call (heap, xOff, rows, cols, outOff) of `name`, a sum of a row-major [rows, cols] matrix into `outCount(rows,
// cols)` floats, run by `sums` once the arguments are checked: non-negative sizes, both ranges inside the heap, and
// an output that does not overlap the input (else it throws, naming the function).
template <typename Sums>
Napi::Value MatrixSum(const Napi::CallbackInfo& info, const std::string& name, bool perRow, Sums sums) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  if (!HeapArgs(info, 5, (name + "(heap, xOff, rows, cols, outOff)").c_str(), heap, a)) return env.Undefined();
  const int64_t xOff = a.I(1), rows = a.I(2), cols = a.I(3), outOff = a.I(4);
  if (rows < 0 || cols < 0) {
    Fail(env, "native-blas: " + name + " needs non-negative rows and cols, got " + std::to_string(rows) + " and " + std::to_string(cols));
    return env.Undefined();
  }
  const int64_t count = perRow ? rows : cols;
  if (!InRange(env, heap, xOff, Times(rows, cols), "x") || !InRange(env, heap, outOff, count, "out")) return env.Undefined();
  const float* x = heap.Data() + xOff;
  float* out = heap.Data() + outOff;
  if (out + count > x && x + rows * cols > out) {
    Fail(env, "native-blas: " + name + "'s output overlaps its input");
    return env.Undefined();
  }
  sums(x, out, rows, cols);
  return env.Undefined();
}

// colSum(heap, xOff, rows, cols, outOff): the column sums of a row-major [rows, cols] matrix (a reduction over
// leading axes), bitwise tfjs-wasm's Sum.
Napi::Value ColSum(const Napi::CallbackInfo& info) { return MatrixSum(info, "colSum", false, ColSums); }

// Row sums out[i] = Σ_j x[i·cols + j], each row added up from j = 0 in float32: the order of tfjs-wasm's Sum over
// trailing axes (no transpose there), so the same bits. Eight rows at a time, each with its own accumulator: one
// row's additions are a chain of dependent adds, so eight chains keep the adder busy where one waits on each add.
void RowSums(const float* __restrict x, float* __restrict out, int64_t rows, int64_t cols) {
  constexpr int kRows = 8;
  int64_t i = 0;
  for (; i + kRows <= rows; i += kRows) {
    float acc[kRows] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
    const float* base = x + i * cols;
    for (int64_t j = 0; j < cols; ++j) {
      for (int r = 0; r < kRows; ++r) acc[r] += base[r * cols + j];
    }
    for (int r = 0; r < kRows; ++r) out[i + r] = acc[r];
  }
  for (; i < rows; ++i) {
    float acc = 0.f;
    for (int64_t j = 0; j < cols; ++j) acc += x[i * cols + j];
    out[i] = acc;
  }
}

// rowSum(heap, xOff, rows, cols, outOff): the row sums of a row-major [rows, cols] matrix (a reduction over
// trailing axes), bitwise tfjs-wasm's Sum.
Napi::Value RowSum(const Napi::CallbackInfo& info) { return MatrixSum(info, "rowSum", true, RowSums); }

// The heap and the geometry at info[first…first+10] (H, W, C, OH, OW, KH, KW, sh, sw, top, left) of `name`'s call
// (`usage`, `count` arguments), or false (having thrown) where an argument is missing, a size is under 1 or from
// 2^31, or an image, its output or its fields would pass the heap: every field row then lies inside its image
// whatever the padding, so the ranges checked by the caller bound every access, and no product of these sizes wraps.
bool GeometryArgs(const Napi::CallbackInfo& info, size_t count, const char* usage, size_t first, const std::string& name,
                  Napi::Float32Array& heap, Scalars& a, fields::Geometry& g) {
  if (!HeapArgs(info, count, usage, heap, a)) return false;
  g = {a.I(first), a.I(first + 1), a.I(first + 2), a.I(first + 3), a.I(first + 4), a.I(first + 5),
       a.I(first + 6), a.I(first + 7), a.I(first + 8), a.I(first + 9), a.I(first + 10)};
  const int64_t sizes[] = {g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.sh, g.sw};
  const int64_t kMax = int64_t{1} << 31;
  for (const int64_t v : sizes) {
    if (v < 1 || v >= kMax) return Fail(info.Env(), "native-blas: " + name + " needs sizes and strides from 1 to 2^31, got " + std::to_string(v));
  }
  if (g.top <= -kMax || g.top >= kMax || g.left <= -kMax || g.left >= kMax) return Fail(info.Env(), "native-blas: " + name + "'s padding is out of range");
  // an image, its output and its fields each within the array (so that no product of sizes the kernels form wraps)
  const int64_t length = static_cast<int64_t>(heap.ElementLength());
  const int64_t window = Times(Times(g.KH, g.KW), g.C);
  const std::pair<const char*, int64_t> perImage[] = {{"an image (H·W·C)", Times(Times(g.H, g.W), g.C)},
                                                       {"an image's output (OH·OW·C)", Times(Times(g.OH, g.OW), g.C)},
                                                       {"an image's fields (OH·OW·KH·KW·C)", Times(Times(g.OH, g.OW), window)}};
  for (const auto& [what, floats] : perImage) {
    if (floats > length) {
      return Fail(info.Env(), "native-blas: " + name + "'s " + what + " of " + (floats == kPastAny ? std::string("more than 2^63") : std::to_string(floats)) +
                                  " floats would pass the array of length " + std::to_string(length));
    }
  }
  return true;
}

// Whether [a, a + an) and [b, b + bn) share a float.
bool Overlaps(int64_t a, int64_t an, int64_t b, int64_t bn) { return an > 0 && bn > 0 && a < b + bn && b < a + an; }

// Images a thread takes at least in the field passes: 2^16 floats of fields or more.
int64_t ImagesPerThread(int64_t floatsPerImage) { return std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(1, floatsPerImage)); }

// convFields(heap, fold, xOff, rowsOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left): unfold images [b0, b1)
// of the NHWC tensor at xOff into their receptive fields at rowsOff (im2col), or, fold, add those fields back onto
// the tensor (col2im). Images are split over the threads (each image's fields and pixels are its own, so any split
// gives the same bits).
Napi::Value ConvFields(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  if (!GeometryArgs(info, 17, "convFields(heap, fold, xOff, rowsOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left)", 6, "convFields", heap, a, g)) {
    return env.Undefined();
  }
  const bool fold = a.B(1);
  const int64_t xOff = a.I(2), rowsOff = a.I(3), b0 = a.I(4), b1 = a.I(5);
  if (b0 < 0 || b1 < b0) {
    Fail(env, "native-blas: convFields needs 0 <= b0 <= b1, got " + std::to_string(b0) + " and " + std::to_string(b1));
    return env.Undefined();
  }
  const int64_t images = b1 - b0, perImage = g.FieldFloats();
  const int64_t xFrom = Plus(xOff, Times(b0, g.ImageFloats())), xSpan = Times(images, g.ImageFloats()), rowsSpan = Times(images, perImage);
  if (!InRange(env, heap, xFrom, xSpan, "x") || !InRange(env, heap, rowsOff, rowsSpan, "rows")) return env.Undefined();
  if (Overlaps(xFrom, xSpan, rowsOff, rowsSpan)) {
    Fail(env, "native-blas: convFields's fields overlap its images");
    return env.Undefined();
  }
  float* x = heap.Data() + xOff;
  float* rows = heap.Data() + rowsOff;
  ParallelFor(images, [&](int64_t lo, int64_t hi) {
    if (fold) fields::Fold(rows + lo * perImage, x, g, b0 + lo, b0 + hi);
    else fields::Unfold(x, rows + lo * perImage, g, b0 + lo, b0 + hi);
  }, ImagesPerThread(perImage), 1, 4);
  return env.Undefined();
}

// maxPoolGrad(heap, xOff, dyOff, dxOff, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left): a max pool's gradient (see
// fields::MaxPoolGrad) of B NHWC images, split over the threads by images.
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  if (!GeometryArgs(info, 16, "maxPoolGrad(heap, xOff, dyOff, dxOff, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left)", 5, "maxPoolGrad", heap, a, g)) {
    return env.Undefined();
  }
  const int64_t xOff = a.I(1), dyOff = a.I(2), dxOff = a.I(3), B = a.I(4);
  if (B < 0) {
    Fail(env, "native-blas: maxPoolGrad needs a non-negative batch, got " + std::to_string(B));
    return env.Undefined();
  }
  const int64_t images = Times(B, g.ImageFloats()), outs = Times(B, g.OutputFloats());
  if (!InRange(env, heap, xOff, images, "x") || !InRange(env, heap, dyOff, outs, "dy") || !InRange(env, heap, dxOff, images, "dx")) {
    return env.Undefined();
  }
  if (Overlaps(dxOff, images, xOff, images) || Overlaps(dxOff, images, dyOff, outs)) {
    Fail(env, "native-blas: maxPoolGrad's dx overlaps its inputs");
    return env.Undefined();
  }
  const float* base = heap.Data();
  ParallelFor(B, [&](int64_t lo, int64_t hi) {
    fields::MaxPoolGrad(base + xOff, base + dyOff, heap.Data() + dxOff, g, lo, hi);
  }, ImagesPerThread(g.ImageFloats()), 1, 4);
  return env.Undefined();
}

// maxPool(heap, xOff, yOff, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left): a max pool (see fields::MaxPool) of B
// NHWC images into y, split over the threads by images.
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  if (!GeometryArgs(info, 15, "maxPool(heap, xOff, yOff, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left)", 4, "maxPool", heap, a, g)) {
    return env.Undefined();
  }
  const int64_t xOff = a.I(1), yOff = a.I(2), B = a.I(3);
  if (B < 0) {
    Fail(env, "native-blas: maxPool needs a non-negative batch, got " + std::to_string(B));
    return env.Undefined();
  }
  const int64_t image = g.ImageFloats(), images = Times(B, image), outs = Times(B, g.OutputFloats());
  if (!InRange(env, heap, xOff, images, "x") || !InRange(env, heap, yOff, outs, "y")) return env.Undefined();
  if (Overlaps(yOff, outs, xOff, images)) {
    Fail(env, "native-blas: maxPool's y overlaps its x");
    return env.Undefined();
  }
  const float* base = heap.Data();
  ParallelFor(B, [&](int64_t lo, int64_t hi) { fields::MaxPool(base + xOff, heap.Data() + yOff, g, lo, hi); }, ImagesPerThread(image), 1, 4);
  return env.Undefined();
}

// A product with a convolution's receptive fields as one operand, gathered block by block from the images as the own
// GEMM's packing needs them, never stored (an implicit im2col): op(O)·op(F) with the fields on the right, or
// op(F)·op(O) on the left; O the other operand, stored. F is the fields of images [b0, b1) of the NHWC tensor at
// xOff ([positions × KH·KW·C], as convFields would unfold them; op(F) their transpose with transF).
struct FieldsOperands {
  bool left;            // the fields are the left operand
  bool transF, transO;  // op(F) = Fᵀ, op(O) = Oᵀ
  int64_t M, N, K;
  int64_t oOff, ldo;  // the other operand and its row stride
  int64_t xOff, b0, b1;
  int64_t cOff, ldc;
};

// The checks and the product of fieldsProduct and leftFieldsProduct (`name`): true having computed C, false where the
// own GEMM is not in use (OpenBLAS does the products: the caller unfolds the fields then), undefined having thrown.
// The same bits as sgemm on the unfolded fields.
Napi::Value ProductOnFields(Napi::Env env, Napi::Float32Array& heap, const fields::Geometry& g, const std::string& name, const FieldsOperands& p) {
  if (p.b0 < 0 || p.b1 <= p.b0) {
    Fail(env, "native-blas: " + name + " needs 0 <= b0 < b1, got " + std::to_string(p.b0) + " and " + std::to_string(p.b1));
    return env.Undefined();
  }
  // op(F)'s rows and columns (positions, or a field's floats), and the other operand's stored row length
  const int64_t positions = Times(p.b1 - p.b0, g.OH * g.OW), field = g.WindowFloats();
  const int64_t fRows = p.left ? p.M : p.K, fCols = p.left ? p.K : p.N;
  const int64_t oRows = p.left ? p.K : p.M, oCols = p.left ? p.N : p.K;
  const int64_t oStoredRows = p.transO ? oCols : oRows, oStoredCols = p.transO ? oRows : oCols;
  const char* o = p.left ? "B" : "A";
  if ((p.transF ? fCols : fRows) != positions || (p.transF ? fRows : fCols) != field || p.M < 1 || p.N < 1 || p.ldo < oStoredCols || p.ldc < p.N) {
    Fail(env, "native-blas: " + name + "'s shapes do not fit its fields: " + Count(positions) + " positions of " + std::to_string(field) +
                  " floats, got M=" + std::to_string(p.M) + " N=" + std::to_string(p.N) + " K=" + std::to_string(p.K) + " ld" +
                  (p.left ? "b=" : "a=") + std::to_string(p.ldo) + " ldc=" + std::to_string(p.ldc) +
                  (p.transF ? (p.left ? " (transA)" : " (transB)") : ""));
    return env.Undefined();
  }
  // the floats each operand spans: the other's rows, C's rows, the images'
  const int64_t oSpan = RowsSpan(oStoredRows, p.ldo, oStoredCols), cSpan = RowsSpan(p.M, p.ldc, p.N);
  const int64_t image = g.ImageFloats(), xFrom = Plus(p.xOff, Times(p.b0, image)), xSpan = Times(p.b1 - p.b0, image);
  if (!InRange(env, heap, p.oOff, oSpan, o) || !InRange(env, heap, p.cOff, cSpan, "C") || !InRange(env, heap, xFrom, xSpan, "x")) {
    return env.Undefined();
  }
  if (Overlaps(p.cOff, cSpan, p.oOff, oSpan) || Overlaps(p.cOff, cSpan, xFrom, xSpan)) {
    Fail(env, "native-blas: " + name + "'s C overlaps its inputs");
    return env.Undefined();
  }
#if defined(VIB_OWN_GEMM)
  if (gOwnGemm) {
    float* base = heap.Data();
    const fields::FieldsOfImages source{base + xFrom, g};
    const gemm::BlockSource blocks{&source, fields::WriteFields};
    const int threads = Times(Times(p.M, p.N), p.K) >= kGemmParallelMacs ? gThreads : 1;
    if (p.left) {
      gemm::Multiply<gemm::Own>(p.transF, p.transO, p.M, p.N, p.K, nullptr, 0, base + p.oOff, p.ldo, base + p.cOff, p.ldc, threads, nullptr, &blocks);
    } else {
      gemm::Multiply<gemm::Own>(p.transO, p.transF, p.M, p.N, p.K, base + p.oOff, p.ldo, nullptr, 0, base + p.cOff, p.ldc, threads, &blocks);
    }
    return Napi::Boolean::New(env, true);
  }
#endif
  return Napi::Boolean::New(env, false);
}

// fieldsProduct(heap, transA, transB, M, N, K, aOff, lda, xOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left,
// cOff, ldc): C[M,N] = op(A)·op(B) through the own GEMM, where B is the receptive fields of images [b0, b1) of the
// NHWC tensor at xOff (op(B) their transpose with transB), gathered (see ProductOnFields): a wide convolution's
// forward product (filterᵀ · fieldsᵀ) or filter gradient (dyᵀ · fields). False where OpenBLAS does the products.
Napi::Value FieldsProduct(const Napi::CallbackInfo& info) {
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  const char* usage = "fieldsProduct(heap, transA, transB, M, N, K, aOff, lda, xOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left, cOff, ldc)";
  if (!GeometryArgs(info, 24, usage, 11, "fieldsProduct", heap, a, g)) return info.Env().Undefined();
  return ProductOnFields(info.Env(), heap, g, "fieldsProduct",
                         {false, a.B(2), a.B(1), a.I(3), a.I(4), a.I(5), a.I(6), a.I(7), a.I(8), a.I(9), a.I(10), a.I(22), a.I(23)});
}

// leftFieldsProduct(heap, transA, M, N, K, xOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left, bOff, ldb, cOff,
// ldc): C[M,N] = op(F)·B through the own GEMM, F the receptive fields of images [b0, b1) of the NHWC tensor at xOff
// (op(F) their transpose with transA), gathered as the packing of op(A) needs them (see ProductOnFields), and B
// stored [K × N]: a narrow convolution's forward product (fields · filter) or filter gradient (fieldsᵀ · dy). False
// where OpenBLAS does the products.
Napi::Value LeftFieldsProduct(const Napi::CallbackInfo& info) {
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  const char* usage = "leftFieldsProduct(heap, transA, M, N, K, xOff, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left, bOff, ldb, cOff, ldc)";
  if (!GeometryArgs(info, 23, usage, 8, "leftFieldsProduct", heap, a, g)) return info.Env().Undefined();
  return ProductOnFields(info.Env(), heap, g, "leftFieldsProduct",
                         {true, a.B(1), false, a.I(2), a.I(3), a.I(4), a.I(19), a.I(20), a.I(5), a.I(6), a.I(7), a.I(21), a.I(22)});
}

// The most floats of one image's fields foldProduct holds (16 MB, a thread's buffer, kept between calls): a larger
// image's input gradient is left to the caller's unfolded path.
constexpr int64_t kFoldMaxFields = int64_t{1} << 22;
// Images foldProduct needs per thread (its threads take whole images): with fewer, the threads would wait on each
// other's last image, or one image's product would run on one thread, where the caller's product on the batch splits
// it over them all (a gradient of one image, as an attack on an input takes).
constexpr int64_t kFoldImagesPerThread = 4;

// foldProduct(heap, dyOff, wOff, dxOff, OC, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left): a convolution's input
// gradient for images [b0, b1): dx = the fold (col2im) of dy · Wᵀ, dy the NHWC gradient of the output (OC channels),
// W the filter as [KH·KW·C × OC], dx written whole for those images. Each thread takes whole images: an image's fields
// (dy · Wᵀ, positions × KH·KW·C, through the own GEMM on one thread) go to a buffer of its own, kept in its cache, and
// are folded onto the image's dx at once, where sgemm on a batch's fields wrote them all to memory (62 MB for the
// second layer of an MNIST CNN at batch 100) and convFields read them back. The same products and the same fold, so
// the same bits as sgemm then convFields. Returns false, computing nothing, where the own GEMM is not in use (OpenBLAS
// does the products), an image's fields pass kFoldMaxFields, or the threads would get fewer than kFoldImagesPerThread
// images each: the caller multiplies and folds then.
Napi::Value FoldProduct(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float32Array heap;
  Scalars a;
  fields::Geometry g;
  const char* usage = "foldProduct(heap, dyOff, wOff, dxOff, OC, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left)";
  if (!GeometryArgs(info, 18, usage, 7, "foldProduct", heap, a, g)) return env.Undefined();
  const int64_t dyOff = a.I(1), wOff = a.I(2), dxOff = a.I(3), OC = a.I(4), b0 = a.I(5), b1 = a.I(6);
  if (b0 < 0 || b1 < b0 || OC < 1) {
    Fail(env, "native-blas: foldProduct needs 0 <= b0 <= b1 and OC >= 1, got b0=" + std::to_string(b0) + " b1=" + std::to_string(b1) + " OC=" + std::to_string(OC));
    return env.Undefined();
  }
  const int64_t images = b1 - b0, image = g.ImageFloats(), positions = g.OH * g.OW, field = g.WindowFloats();
  const int64_t dyFrom = Plus(dyOff, Times(b0, Times(positions, OC))), dySpan = Times(images, Times(positions, OC));
  const int64_t dxFrom = Plus(dxOff, Times(b0, image)), dxSpan = Times(images, image), wSpan = Times(field, OC);
  if (!InRange(env, heap, dyFrom, dySpan, "dy") || !InRange(env, heap, wOff, wSpan, "W") || !InRange(env, heap, dxFrom, dxSpan, "dx")) {
    return env.Undefined();
  }
  if (Overlaps(dxFrom, dxSpan, dyFrom, dySpan) || Overlaps(dxFrom, dxSpan, wOff, wSpan)) {
    Fail(env, "native-blas: foldProduct's dx overlaps its inputs");
    return env.Undefined();
  }
#if defined(VIB_OWN_GEMM)
  if (gOwnGemm && g.FieldFloats() <= kFoldMaxFields && images >= kFoldImagesPerThread * gThreads) {
    float* base = heap.Data();
    const float* dy = base + dyOff;
    float* dx = base + dxOff;
    // Wᵀ packed once for every image's product (each packed it again: 100 times a step for the MNIST CNN), in the
    // calling thread's buffer, which the workers only read
    thread_local std::unique_ptr<float[], gemm::AlignedFree> wbuf;
    thread_local int64_t wcap = 0;
    float* const packedW = gemm::Scratch(wbuf, wcap, gemm::WholeBFloats<gemm::Own>(OC, field));
    gemm::PackWholeB<gemm::Own>(base + wOff, OC, true, OC, field, packedW);
    ParallelFor(images, [&](int64_t lo, int64_t hi) {
      thread_local std::unique_ptr<float[], gemm::AlignedFree> buf;
      thread_local int64_t cap = 0;
      float* rows = gemm::Scratch(buf, cap, g.FieldFloats());
      for (int64_t b = b0 + lo; b < b0 + hi; ++b) {
        gemm::Multiply<gemm::Own>(false, true, positions, field, OC, dy + b * positions * OC, OC, nullptr, 0, rows, field, 1,
                                  nullptr, nullptr, packedW);
        std::memset(dx + b * image, 0, static_cast<size_t>(image) * sizeof(float));
        fields::Fold(rows, dx, g, b, b + 1);
      }
    }, 1, 1);
    return Napi::Boolean::New(env, true);
  }
#endif
  return Napi::Boolean::New(env, false);
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), gThreads);
}

// vecSplits(): how many unary and fused passes were split over threads since the addon loaded (they split only
// where the pool's workers are awake, so tests and profiles read whether they did).
Napi::Value VecSplits(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(gVecSplits.load(std::memory_order_relaxed)));
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  gThreads = static_cast<int>(std::clamp<int64_t>(info[0].As<Napi::Number>().Int64Value(), 1, 255));
  return info.Env().Undefined();
}

// gemmKernel(): the own GEMM's name ("avx512" or "avx2") where sgemm's plain products use it, else "openblas".
Napi::Value GemmKernel(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), gOwnGemm ? kOwnGemm : "openblas");
}

// setGemmKernel(name): "avx512", "avx2" (the own GEMM, where the addon was built with it; else OpenBLAS) or
// "openblas"; returns the kernel now in use.
Napi::Value SetGemmKernel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (name != "avx512" && name != "avx2" && name != "openblas") {
    const std::string got = name.empty() ? std::string("no name") : "\"" + name + "\"";
    Fail(env, "native-blas: setGemmKernel takes \"avx512\", \"avx2\" or \"openblas\", got " + got);
    return env.Undefined();
  }
  UseOwnGemm(name == kOwnGemm);
  return GemmKernel(info);
}

Napi::Value Config(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), openblas_get_config());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  gThreads = std::clamp(openblas_get_num_threads(), 1, 255);
  openblas_set_num_threads(1);
  // the pool's workers watch for the next call for 300 µs before sleeping (measured over 150 VIB steps with the own
  // GEMM: a mean of 12.2–12.3 ms against 13.4–14.9 sleeping at once)
  pool::Pool::Get().SetSpin(std::chrono::microseconds(300));
  UseOwnGemm(kOwnGemmByDefault);
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("biasAct", Napi::Function::New(env, BiasAct));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("ema", Napi::Function::New(env, Ema));
  exports.Set("polar", Napi::Function::New(env, Polar));
  exports.Set("colSum", Napi::Function::New(env, ColSum));
  exports.Set("rowSum", Napi::Function::New(env, RowSum));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("fused", Napi::Function::New(env, Fused));
  exports.Set("convFields", Napi::Function::New(env, ConvFields));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool));
  exports.Set("fieldsProduct", Napi::Function::New(env, FieldsProduct));
  exports.Set("foldProduct", Napi::Function::New(env, FoldProduct));
  exports.Set("leftFieldsProduct", Napi::Function::New(env, LeftFieldsProduct));
  exports.Set("vecSplits", Napi::Function::New(env, VecSplits));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("config", Napi::Function::New(env, Config));
  exports.Set("gemmKernel", Napi::Function::New(env, GemmKernel));
  exports.Set("setGemmKernel", Napi::Function::New(env, SetGemmKernel));
  return exports;
}

}  // namespace

NODE_API_MODULE(vib_native_blas, Init)
