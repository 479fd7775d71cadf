// What the addon's two GEMM kernels (gemm-avx512.h, gemm-avx2.h) share: scratch buffers, the packing of op(A) and
// op(B), the record of one product shared by its threads, and the loop over chunks of columns that the threads run.
// Each kernel's header brings the part that uses its vector instructions (see `Participate`).
#pragma once
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "thread-pool.h"

namespace gemm {

constexpr int64_t kKC = 256;

struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};

// A per-thread scratch buffer of at least `n` floats, 64-byte aligned, grown as needed and kept.
inline float* Scratch(std::unique_ptr<float[], AlignedFree>& buf, int64_t& cap, int64_t n) {
  if (n > cap) {
    const int64_t bytes = ((n * 4 + 63) / 64) * 64;
    buf.reset(static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>(bytes))));
    cap = buf ? n : 0;
  }
  return buf.get();
}

// Four rows of eight floats (`src`, rows `ld` apart: k … k+7 of each) interleaved: u[j]'s low 128 bits hold the four
// rows' floats of k+j, its high 128 bits those of k+4+j (pairs of rows unpacked, then pairs of pairs shuffled).
inline void Interleave4x8(const float* src, int64_t ld, __m256 u[4]) {
  const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld);
  const __m256 r2 = _mm256_loadu_ps(src + 2 * ld), r3 = _mm256_loadu_ps(src + 3 * ld);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  u[0] = _mm256_shuffle_ps(t0, t2, 0x44);
  u[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
  u[2] = _mm256_shuffle_ps(t1, t3, 0x44);
  u[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

// Four rows of a micro-panel over eight k: the 4×8 floats at `src` (rows `ld` apart) to `dst` (the panel + k·MR + the
// first row's index), k by k, each k's four floats together and MR floats after the one before.
template <int MR>
inline void PanelRows4x8(const float* src, int64_t ld, float* dst) {
  __m256 u[4];
  Interleave4x8(src, ld, u);
  for (int j = 0; j < 4; ++j) {
    _mm_storeu_ps(dst + j * MR, _mm256_castps256_ps128(u[j]));
    _mm_storeu_ps(dst + (4 + j) * MR, _mm256_extractf128_ps(u[j], 1));
  }
}

// Two rows of a micro-panel over eight k, as PanelRows4x8 does four: each k's two floats as one 64-bit store.
template <int MR>
inline void PanelRows2x8(const float* src, int64_t ld, float* dst) {
  const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld);
  // pairs of k, k+1 (low half) and k+4, k+5 (high half); then k+2, k+3 and k+6, k+7
  const __m256d p0 = _mm256_castps_pd(_mm256_unpacklo_ps(r0, r1)), p1 = _mm256_castps_pd(_mm256_unpackhi_ps(r0, r1));
  const __m128d lo0 = _mm256_castpd256_pd128(p0), hi0 = _mm256_extractf128_pd(p0, 1);
  const __m128d lo1 = _mm256_castpd256_pd128(p1), hi1 = _mm256_extractf128_pd(p1, 1);
  _mm_storel_pd(reinterpret_cast<double*>(dst), lo0);
  _mm_storeh_pd(reinterpret_cast<double*>(dst + MR), lo0);
  _mm_storel_pd(reinterpret_cast<double*>(dst + 2 * MR), lo1);
  _mm_storeh_pd(reinterpret_cast<double*>(dst + 3 * MR), lo1);
  _mm_storel_pd(reinterpret_cast<double*>(dst + 4 * MR), hi0);
  _mm_storeh_pd(reinterpret_cast<double*>(dst + 5 * MR), hi0);
  _mm_storel_pd(reinterpret_cast<double*>(dst + 6 * MR), hi1);
  _mm_storeh_pd(reinterpret_cast<double*>(dst + 7 * MR), hi1);
}

// op(A)[0 .. m) × [k0 .. k0+kc) into micro-panels of MR rows, each kc columns of MR floats; rows past m are zero.
template <int MR>
inline void PackA(const float* a, int64_t lda, bool ta, int64_t m, int64_t k0, int64_t kc, float* out) {
  if (ta) {
    // op(A)(i, k) = A[k·lda + i]: each k holds a contiguous run of i, read here once from start to end into every
    // panel. (Panel by panel, each panel's runs came from kc rows lda apart: at lda = 1024 floats they fell in one L1
    // set, and packing a 1024×100 op(A) took 61 µs against 8 now; the same floats in the same places.)
    const int64_t full = m / MR * MR;
    for (int64_t k = 0; k < kc; ++k) {
      const float* src = a + (k0 + k) * lda;
      float* dst = out + k * MR;
      for (int64_t ip = 0; ip < full; ip += MR) {
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) dst[ip * kc + i] = src[ip + i];
      }
      if (full < m) {
        int64_t i = 0;
        for (; i < m - full; ++i) dst[full * kc + i] = src[full + i];
        for (; i < MR; ++i) dst[full * kc + i] = 0.f;
      }
    }
    return;
  }
  const int64_t k8 = kc / 8 * 8;
  for (int64_t ip = 0; ip < m; ip += MR) {
    const int64_t h = std::min<int64_t>(MR, m - ip);
    float* panel = out + ip * kc;
    if (h == MR) {
      // a whole panel: eight k at a time through registers, four rows at a time, then two (float by float,
      // packing a warm 100×784 A took 17.5 µs, now 6.2; in the VIB step, the products took 5 % less time, the two
      // 100×256×1024 heads 12 %; 2-core Zen 5, 2026-12-05; the same floats in the same places)
      static_assert(MR % 2 == 0, "whole panels go four rows at a time, then two");
      const float* src = a + ip * lda + k0;
      for (int64_t k = 0; k < k8; k += 8) {
        int i = 0;
        for (; i + 4 <= MR; i += 4) PanelRows4x8<MR>(src + i * lda + k, lda, panel + k * MR + i);
        if (i < MR) PanelRows2x8<MR>(src + i * lda + k, lda, panel + k * MR + i);
      }
      for (int64_t k = k8; k < kc; ++k) {
        for (int i = 0; i < MR; ++i) panel[k * MR + i] = src[i * lda + k];
      }
      continue;
    }
    for (int64_t i = 0; i < MR; ++i) {
      if (i < h) {
        const float* src = a + (ip + i) * lda + k0;
        for (int64_t k = 0; k < kc; ++k) panel[k * MR + i] = src[k];
      } else {
        for (int64_t k = 0; k < kc; ++k) panel[k * MR + i] = 0.f;
      }
    }
  }
}

// An op(B) that is never stored whole: its blocks are written as the packing needs them (a convolution's receptive
// fields gathered from its input: an implicit im2col). `write(ctx, tb, k0, kc, j0, w, out)` writes op(B)'s rows
// [k0, k0 + kc) × columns [j0, j0 + w) into `out` in B's own layout: with tb, w runs of kc floats (B[j][k]), else kc
// runs of w floats (B[k][j]); the packing then reads `out` as it reads a stored B. Its rows are counted from `kFrom`
// (a depth slice of the product reads the source's rows from the slice's first), its columns from `jFrom`.
//
// The same kind of source can stand for op(A) (Product::aSource): op(A)ᵀ is then the source's op(B), so op(A)'s rows
// [i0, i0 + rows) × columns [k0, k0 + kc) in A's own layout are write(ctx, !ta, k0, kc, i0, rows, out): with ta, kc
// runs of `rows` floats (A[k][i]), else `rows` runs of kc floats (A[i][k]). Its columns (op(A)'s depth) are then
// counted from kFrom and its rows from jFrom (a band of op(A)'s rows).
struct BlockSource {
  const void* ctx;
  void (*write)(const void* ctx, bool tb, int64_t k0, int64_t kc, int64_t j0, int64_t w, float* out);
  int64_t kFrom = 0;
  int64_t jFrom = 0;
};

// Rows of op(A) a source writes at once with ta (kc runs of that many floats): 32 panels (320 rows with the AVX-512
// kernel, 192 with the AVX2 one: a narrow convolution's whole fields, under 256 floats, at once on the first).
constexpr int64_t kSourcedPanels = 32;

// op(A)[0 .. m) × [k0 .. k0+kc) from a source (see BlockSource) into micro-panels, as PackA packs a stored A: each
// block written in A's layout into a thread's buffer (with ta up to kSourcedPanels panels' rows at a time, kc runs of
// that many floats; else a panel's MR rows at a time, MR runs of kc floats, in L1), then packed from there. The same
// floats in the same places.
template <int MR>
inline void PackSourcedA(const BlockSource& s, bool ta, int64_t m, int64_t k0, int64_t kc, float* out) {
  thread_local std::unique_ptr<float[], AlignedFree> buf;
  thread_local int64_t cap = 0;
  if (ta) {
    const int64_t rows = kSourcedPanels * MR;
    float* const t = Scratch(buf, cap, std::min(m, rows) * kc);
    for (int64_t i0 = 0; i0 < m; i0 += rows) {
      const int64_t h = std::min(rows, m - i0);
      s.write(s.ctx, false, s.kFrom + k0, kc, s.jFrom + i0, h, t);
      PackA<MR>(t, h, true, h, 0, kc, out + i0 * kc);
    }
    return;
  }
  float* const t = Scratch(buf, cap, MR * kc);
  for (int64_t ip = 0; ip < m; ip += MR) {
    const int64_t h = std::min<int64_t>(MR, m - ip);
    s.write(s.ctx, true, s.kFrom + k0, kc, s.jFrom + ip, h, t);
    PackA<MR>(t, kc, false, h, 0, kc, out + ip * kc);
  }
}

// One product shared by the threads that compute it: its operands, and the chunks of columns handed out in order.
struct Product {
  const float* a;
  int64_t lda;
  bool ta;
  const float* b;
  int64_t ldb;
  bool tb;
  float* c;
  int64_t ldc, m, n, k;
  int64_t parts;                   // a chunk takes 1/parts of the columns left, rounded up to whole panels
  std::atomic<int64_t> next{0};    // first column of the next chunk to take
  const BlockSource* source = nullptr;   // op(B) written block by block, in place of b and ldb
  const BlockSource* aSource = nullptr;  // op(A) written block by block, in place of a and lda
  const float* packedB = nullptr;        // op(B) packed already (PackWholeB), in place of b and ldb
};

// Packed A is kept for the whole product (every depth block) when it holds at most this many floats (16 MB), so a
// thread packs it once however many chunks it takes; a larger A is packed again for each chunk.
constexpr int64_t kKeepPackedA = int64_t{1} << 22;
// A product whose packed A holds at most this many floats (256 KB, a quarter of a Zen 4 or Zen 5 core's L2) takes its
// steps panel by panel, every depth block of a panel before the next, rather than depth block by depth block: each
// tile of C then stays in L1 from one depth block to the next instead of coming back from memory (a convolution's
// forward product, 64 filters × 19,600 positions × 800, writes 5 MB of C, read and written again for each of its four
// depth blocks). Each element is summed in the same order either way, so the same bits.
constexpr int64_t kPanelFirstA = int64_t{1} << 16;

// What follows is the same for both kernels, written over an instruction set's part `Isa`: its panel width
// `Isa::kNR` (two vector registers), tile height `Isa::kMR`, the column mask of the first lanes of a register
// (`Isa::Mask`, `Isa::LowMask`), the copy of one panel row under those masks (`Isa::PanelRow`) and the micro-kernel
// (`Isa::Kernel<MR>`).

// The 8×8 block of floats at `src` (rows `ld` apart) transposed into the 32-byte-aligned `dst` (rows `ldd` apart): row
// i of `dst` is column i of `src`. Both kernels' builds have AVX.
inline void Transpose8x8(const float* src, int64_t ld, float* dst, int64_t ldd) {
  __m256 top[4], bottom[4];
  Interleave4x8(src, ld, top);
  Interleave4x8(src + 4 * ld, ld, bottom);
  // column j: rows 0–3's floats from top[j mod 4] and rows 4–7's from bottom[j mod 4], low halves for j < 4
  for (int j = 0; j < 4; ++j) {
    _mm256_store_ps(dst + j * ldd, _mm256_permute2f128_ps(top[j], bottom[j], 0x20));
    _mm256_store_ps(dst + (4 + j) * ldd, _mm256_permute2f128_ps(top[j], bottom[j], 0x31));
  }
}

// One panel of op(B): rows [k0 .. k0+kc) × columns [j0 .. j0+w), w ≤ kNR, into `panel` (64-byte aligned), kc rows of
// kNR floats; columns past w are zero. (The loop in `Participate` packs each panel right before its micro-kernels.)
template <class Isa>
inline void PackB(const float* b, int64_t ldb, bool tb, int64_t k0, int64_t kc, int64_t j0, int64_t w, float* panel) {
  constexpr int kNR = Isa::kNR;
  if (!tb) {
    const typename Isa::Mask m0 = Isa::LowMask(w), m1 = Isa::LowMask(w - kNR / 2);
    for (int64_t k = 0; k < kc; ++k) Isa::PanelRow(b + (k0 + k) * ldb + j0, m0, m1, panel + k * kNR);
    return;
  }
  // op(B)(k, j) = B[j·ldb + k]: each column j is a contiguous run of k, moved eight columns by eight k at a time
  // (panel rows are kNR floats from a 64-byte-aligned start, so every block's rows are aligned). Float by float,
  // packing a 256-deep block of 1024 columns took 79 µs with W warm and 265 cold; so 22 and 100 (2-core Zen 5,
  // 2026-12-05), and the input gradient dY·Wᵀ of 100×1024×1024, two threads, cold operands, 1155 → 935 µs with
  // the AVX-512 kernel and 1544 → 1393 with the AVX2 one: the same floats in the same places, the same bits.
  const int64_t full = w / 8 * 8, k8 = kc / 8 * 8;
  for (int64_t j = 0; j < full; j += 8) {
    const float* src = b + (j0 + j) * ldb + k0;
    for (int64_t k = 0; k < k8; k += 8) Transpose8x8(src + k, ldb, panel + k * kNR + j, kNR);
    for (int64_t k = k8; k < kc; ++k) {
      for (int64_t i = 0; i < 8; ++i) panel[k * kNR + j + i] = src[i * ldb + k];
    }
  }
  for (int64_t j = full; j < kNR; ++j) {
    if (j < w) {
      const float* src = b + (j0 + j) * ldb + k0;
      for (int64_t k = 0; k < kc; ++k) panel[k * kNR + j] = src[k];
    } else {
      for (int64_t k = 0; k < kc; ++k) panel[k * kNR + j] = 0.f;
    }
  }
}

// Columns of op(B) rounded up to whole panels.
template <class Isa>
constexpr int64_t PaddedColumns(int64_t n) {
  return (n + Isa::kNR - 1) / Isa::kNR * Isa::kNR;
}

// Floats PackWholeB writes for a k × n op(B).
template <class Isa>
constexpr int64_t WholeBFloats(int64_t k, int64_t n) {
  return k * PaddedColumns<Isa>(n);
}

// The whole of op(B) (k × n) packed as Participate packs it panel by panel: the block of panel j at depth block k0
// (kc rows) at out + k0·PaddedColumns(n) + j·kNR·kc, for products that share one B (Product::packedB: a convolution's
// input gradient multiplies each image's dy by the same filter). The same floats in the same places as each
// product's own packing, so the same bits.
template <class Isa>
inline void PackWholeB(const float* b, int64_t ldb, bool tb, int64_t k, int64_t n, float* out) {
  for (int64_t k0 = 0; k0 < k; k0 += kKC) {
    const int64_t kc = std::min(kKC, k - k0);
    for (int64_t j = 0; j < n; j += Isa::kNR) {
      PackB<Isa>(b, ldb, tb, k0, kc, j, std::min<int64_t>(Isa::kNR, n - j), out + k0 * PaddedColumns<Isa>(n) + j * kc);
    }
  }
}

// Asks for the `n` floats from `p` to be in cache (for reading, or with `kWrite` for writing): a line each 16 floats,
// and the last float's, since a run that does not start on a line ends in one more.
template <int kWrite>
inline void PrefetchRun(const float* p, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) __builtin_prefetch(p + i, kWrite, 3);
  __builtin_prefetch(p + n - 1, kWrite, 3);
}

// Cache lines for a micro-kernel to ask for as it runs (its `pf` and `npf`, through a `PrefetchPacer`), a few k apart
// rather than all at once before it starts; lines past the list's room are asked for at once.
struct Prefetches {
  static constexpr int kRoom = static_cast<int>(kKC);
  const float* line[kRoom];
  int n = 0;
  void Add(const float* q) {
    if (n < kRoom) {
      line[n++] = q;
    } else {
      __builtin_prefetch(q, 0, 3);
    }
  }
  // the lines of the `len` floats from `q`: one each 16 floats, and the last float's where it lies on a line of its
  // own (a run that does not start on a line ends in one more)
  void AddRun(const float* q, int64_t len) {
    for (int64_t i = 0; i < len; i += 16) Add(q + i);
    const float* last = q + len - 1;
    if (reinterpret_cast<uintptr_t>(last) >> 6 != reinterpret_cast<uintptr_t>(q + (len - 1) / 16 * 16) >> 6) Add(last);
  }
};

// Asks for a micro-kernel's listed lines through its loop over k: one every four k (closer where there are more than
// kc/4 of them), then any left when the loop ends (`Rest`). Both kernels (gemm-avx512.h, gemm-avx2.h) pace theirs so.
class PrefetchPacer {
 public:
  PrefetchPacer(const float* const* line, int n, int64_t kc)
      : line_(line), n_(n), every_(std::clamp<int64_t>(kc / std::max(n, 1), 1, 4)) {}
  void At(int64_t k) {
    if (k == next_ && done_ < n_) {
      __builtin_prefetch(line_[done_++], 0, 3);
      next_ += every_;
    }
  }
  void Rest() {
    for (; done_ < n_; ++done_) __builtin_prefetch(line_[done_], 0, 3);
  }

 private:
  const float* const* line_;
  int n_;
  int64_t every_;
  int64_t next_ = 0;
  int done_ = 0;
};

// The cache lines of part `part` of `parts` of panel `jn`'s op(B) block (rows [k0, k0+kc), columns [jn, jn+w)) into
// `out`, for the micro-kernels of the panel before it to ask for, so that the panel's packing finds the block in
// cache rather than in memory (after Adam's pass over every weight, the weights come back cold).
inline void PanelLines(const Product& p, int64_t k0, int64_t kc, int64_t jn, int64_t w, int64_t part, int64_t parts,
                       Prefetches& out) {
  out.n = 0;
  if (!p.tb) {
    // op(B)(k, j) = B[k·ldb + j]: each of the block's rows is a run of w floats
    for (int64_t r = part * kc / parts, end = (part + 1) * kc / parts; r < end; ++r) {
      out.AddRun(p.b + (k0 + r) * p.ldb + jn, w);
    }
  } else {
    // op(B)(k, j) = B[j·ldb + k]: each of the block's columns is a run of kc floats
    for (int64_t j = part * w / parts, end = (part + 1) * w / parts; j < end; ++j) {
      out.AddRun(p.b + (jn + j) * p.ldb + k0, kc);
    }
  }
}

// Asks for a tile of C (`rows` rows `ldc` apart, `w` floats each) to be in cache for writing, before the first depth
// block's micro-kernel writes it: C is usually new memory (the gradient of a weight, 4 MB for a 1024×1024 layer), and
// each store that missed waited for its line.
inline void PrefetchTile(float* c, int64_t ldc, int64_t rows, int64_t w) {
  for (int64_t i = 0; i < rows; ++i) PrefetchRun<1>(c + i * ldc, w);
}

// Takes chunks of columns until none is left: C[:, chunk] = op(A)·op(B)[:, chunk], over depth blocks in order. The
// split depends on timing, but every element is summed by one thread in the same order, so results do not. Each
// panel of op(B) is packed right before its micro-kernels, which then read it from L1, and the next panel's block is
// prefetched while they run (side by side in a C++ harness with cold operands, two threads: 3–11 % faster on the
// VIB step's forward products and their input gradients, the same on the weight gradients; the same bits). Where a
// depth block or a chunk ends, the block after it is asked for, and each tile of C before its first write (the
// bench's VIB step took 0.98 of its time without them, 60 alternating rounds; 2-core Zen 4, 2026-12-06). Each
// micro-kernel asks for its part of that block one line every four k rather than all at once before it starts: the
// VIB step's 11 products in a C++ harness, 30 alternating rounds, 0.955–0.98 of the time with the AVX-512 kernel and
// 0.91–0.93 with the AVX2 one built for the same host (warm, and with 64 MB swept before each step), a line every two
// k, against the burst, which had done no better than no prefetch at all; every four k, 0.98–1.00 of every two's
// (the forward products 2–5 % faster), every k 1.005–1.03. In the bench's step, five alternating pairs of
// processes, the products 6.86 against 7.09 ms (every two k; 2-core Zen 4, 2026-12-07). The same bits either way.
template <class Isa>
void Participate(Product& p) {
  constexpr int kNR = Isa::kNR, MR = Isa::kMR;
  thread_local std::unique_ptr<float[], AlignedFree> abuf, bbuf, sbuf;
  thread_local int64_t acap = 0, bcap = 0, scap = 0;
  const int64_t mPanels = (p.m + MR - 1) / MR;
  const bool keepA = mPanels * MR * p.k <= kKeepPackedA;
  bool packed = false;
  Prefetches pf;
  for (;;) {
    // guided: 1/parts of the columns left, in whole panels, at least one panel
    int64_t j0 = p.next.load(std::memory_order_relaxed), nc = 0;
    do {
      if (j0 >= p.n) break;
      const int64_t left = p.n - j0;
      nc = std::min(left, std::max<int64_t>(kNR, (left / p.parts + kNR - 1) / kNR * kNR));
    } while (!p.next.compare_exchange_weak(j0, j0 + nc, std::memory_order_relaxed));
    if (j0 >= p.n) break;
    const int64_t nPanels = (nc + kNR - 1) / kNR, kBlocks = (p.k + kKC - 1) / kKC;
    float* const aAll = Scratch(abuf, acap, mPanels * MR * (keepA ? p.k : std::min(kKC, p.k)));
    float* const pb = Scratch(bbuf, bcap, kNR * std::min(kKC, p.k));
    float* const block = p.source ? Scratch(sbuf, scap, kNR * std::min(kKC, p.k)) : nullptr;
    // a packed A small enough to stay in L2: every depth block of one panel before the next panel, so that each tile
    // of C stays in L1 between its depth blocks (see kPanelFirstA)
    const bool panelFirst = keepA && kBlocks > 1 && mPanels * MR * p.k <= kPanelFirstA;
    // step s's panel and first row of its depth block
    const auto stepAt = [&](int64_t s) {
      return panelFirst ? std::pair{s / kBlocks, s % kBlocks * kKC} : std::pair{s % nPanels, s / nPanels * kKC};
    };
    for (int64_t step = 0, steps = kBlocks * nPanels; step < steps; ++step) {
      const auto [jp, k0] = stepAt(step);
      const int64_t kc = std::min(kKC, p.k - k0), w = std::min<int64_t>(kNR, nc - jp * kNR);
      float* const pa = keepA ? aAll + mPanels * MR * k0 : aAll;
      // each depth block of A packed where the first panel first needs it (either order takes every depth block
      // of panel 0 in order)
      if (!packed && jp == 0) {
        if (p.aSource) {
          PackSourcedA<MR>(*p.aSource, p.ta, p.m, k0, kc, pa);
        } else {
          PackA<MR>(p.a, p.lda, p.ta, p.m, k0, kc, pa);
        }
      }
      // the block packed next: the next step's, else the first panel of the chunk likely taken next (the columns
      // after the last chunk handed out)
      int64_t kNext = 0, jNext, wNext;
      if (step + 1 < steps) {
        const auto [jpNext, kAt] = stepAt(step + 1);
        kNext = kAt, jNext = j0 + jpNext * kNR, wNext = std::min<int64_t>(kNR, nc - jpNext * kNR);
      } else {
        jNext = p.next.load(std::memory_order_relaxed), wNext = jNext < p.n ? std::min<int64_t>(kNR, p.n - jNext) : 0;
      }
      const int64_t kcNext = std::min(kKC, p.k - kNext);
      const float* panel = pb;
      if (p.packedB) {
        // packed once for every product that shares it: the block of panel (j0 + jp·kNR)/kNR at depth k0
        panel = p.packedB + k0 * PaddedColumns<Isa>(p.n) + (j0 + jp * kNR) * kc;
        wNext = 0;
      } else if (!p.source) {
        PackB<Isa>(p.b, p.ldb, p.tb, k0, kc, j0 + jp * kNR, w, pb);
      } else if (!p.tb && w == kNR) {
        // B's own layout of a whole panel's rows (kc rows of kNR floats) is the packed panel's: written in place
        p.source->write(p.source->ctx, p.tb, p.source->kFrom + k0, kc, j0 + jp * kNR, w, pb);
        wNext = 0;
      } else {
        // the block written where the packing reads it, which it then finds in L1; no stored B to ask lines of
        p.source->write(p.source->ctx, p.tb, p.source->kFrom + k0, kc, j0 + jp * kNR, w, block);
        PackB<Isa>(block, p.tb ? kc : w, p.tb, 0, kc, 0, w, pb);
        wNext = 0;
      }
      const typename Isa::Mask m0 = Isa::LowMask(w), m1 = Isa::LowMask(w - kNR / 2);
      for (int64_t ip = 0; ip < mPanels; ++ip) {
        if (wNext > 0) {
          PanelLines(p, kNext, kcNext, jNext, wNext, ip, mPanels, pf);
        } else {
          pf.n = 0;
        }
        float* const tile = p.c + ip * MR * p.ldc + j0 + jp * kNR;
        const int64_t rows = std::min<int64_t>(MR, p.m - ip * MR);
        if (k0 == 0) PrefetchTile(tile, p.ldc, rows, w);
        Isa::template Kernel<MR>(kc, pa + ip * MR * kc, panel, tile, p.ldc, rows, k0 > 0, m0, m1, pf.line, pf.n);
      }
    }
    packed = keepA;
  }
}

// Products of a few rows: C = A·B with A of at most kSkinnyM rows, neither operand transposed (one to four examples
// through a layer, as inference on single inputs runs). The packed GEMM computes whole MR-row tiles (10 or 6 rows)
// and copies every panel of B for them; here B's rows stream past once, read in place and in order, and each row
// of C keeps its sums in a buffer that stays in L1 (a row of a 1024-wide layer is 4 KB). Each element of C is the
// packed GEMM's sum: a chain of fused multiply-adds from +0 over k ascending within each block of kKC, the blocks'
// sums added to C in order.
constexpr int64_t kSkinnyM = 4;

// Rows [0, R) of C × columns [0, w) from A's rows (lda apart) and B's rows (ldb apart) over k; `sums` has room
// for R·w floats.
template <class Isa, int R>
inline void SkinnyBand(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc, int64_t k,
                       int64_t w, float* sums) {
  constexpr int W = Isa::kW;
  using V = typename Isa::V;
  const int64_t full = w / W * W;
  const typename Isa::Mask tail = Isa::LowMask(w - full);
  for (int64_t k0 = 0; k0 < k; k0 += kKC) {
    const int64_t kc = std::min(kKC, k - k0);
    for (int i = 0; i < R; ++i) std::fill(sums + i * w, sums + i * w + full, 0.f);
    // the last, partial register of columns in registers (a masked store and a load of the same floats on the next
    // row waited for the store: products 10 columns wide took three times as long as the packed GEMM's)
    V last[R];
#pragma GCC unroll 4
    for (int i = 0; i < R; ++i) last[i] = Isa::Zero();
    const float* bk = b + k0 * ldb;
    for (int64_t kk = 0; kk < kc; ++kk, bk += ldb) {
      V ai[R];
#pragma GCC unroll 4
      for (int i = 0; i < R; ++i) ai[i] = Isa::Splat(a[i * lda + k0 + kk]);
      for (int64_t j = 0; j < full; j += W) {
        const V bv = Isa::Load(bk + j);
#pragma GCC unroll 4
        for (int i = 0; i < R; ++i) Isa::Store(sums + i * w + j, Isa::Fma(ai[i], bv, Isa::Load(sums + i * w + j)));
      }
      if (full < w) {
        const V bv = Isa::Load(bk + full, tail);
#pragma GCC unroll 4
        for (int i = 0; i < R; ++i) last[i] = Isa::Fma(ai[i], bv, last[i]);
      }
    }
    if (full < w) {
      for (int i = 0; i < R; ++i) Isa::Store(sums + i * w + full, tail, last[i]);
    }
    for (int i = 0; i < R; ++i) {
      float* row = c + i * ldc;
      const float* s = sums + i * w;
      if (k0 == 0) {
        std::copy(s, s + w, row);
      } else {
        for (int64_t j = 0; j < w; ++j) row[j] = s[j] + row[j];
      }
    }
  }
}

// Columns [j0, j1) of C[M,N] = A·B for M ≤ kSkinnyM (the addon splits the columns between its threads at whole
// registers, `Isa::kW` floats: each column is summed by one thread in one order, so any split gives the same bits).
template <class Isa>
inline void Skinny(int64_t m, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                   int64_t ldc, int64_t j0, int64_t j1) {
  thread_local std::unique_ptr<float[], AlignedFree> buf;
  thread_local int64_t cap = 0;
  const int64_t w = j1 - j0;
  float* const sums = Scratch(buf, cap, m * w);
  b += j0;
  c += j0;
  switch (m) {
    case 1: SkinnyBand<Isa, 1>(a, lda, b, ldb, c, ldc, k, w, sums); break;
    case 2: SkinnyBand<Isa, 2>(a, lda, b, ldb, c, ldc, k, w, sums); break;
    case 3: SkinnyBand<Isa, 3>(a, lda, b, ldb, c, ldc, k, w, sums); break;
    default: SkinnyBand<Isa, 4>(a, lda, b, ldb, c, ldc, k, w, sums); break;
  }
}

// Multiply-adds from which a product of fewer column panels than threads splits its rows between them (4M: about
// 40 µs of work; the VIB and VAE steps' narrow products, 10 or 32 columns by a batch of 100, stay below it).
constexpr int64_t kRowSplitMacs = int64_t{1} << 22;
// Bands of rows a thread takes on average when the rows are split (so that a thread that starts late takes fewer).
constexpr int64_t kBandsPerThread = 4;

// Depth of the slices a deep product with a small C is cut into (see Multiply; from two slices deep), and the most
// elements of such a C. Set by the shape alone, not by the threads or the kernel's tile. A convolution's filter
// gradient of 64 × 800 over 19,600 positions had run as column chunks, each thread reading all of dY again for each
// chunk it took: cut into slices of 2,048, 9.5 → 8.4 ms (two threads, a C++ harness; 2-core Zen 5, 2026-12-07).
constexpr int64_t kSliceDepth = 2048;
static_assert(kSliceDepth % kKC == 0, "a slice is whole depth blocks (a packed B is read from its first)");
constexpr int64_t kSlicedMaxOutputs = 65536;
// The most floats the partial Cs of a cut product may hold (16 MB): a deeper product's slices are 2·kSliceDepth deep,
// or 4·, …, the first of those whose partials fit (a shape's cut is still set by its shape alone).
constexpr int64_t kSlicedMaxPartials = int64_t{1} << 22;

// The depth of the slices Multiply cuts an m×n product of depth k into (see kSliceDepth).
inline int64_t SliceDepth(int64_t m, int64_t n, int64_t k) {
  int64_t depth = kSliceDepth;
  while (((k + depth - 1) / depth - 1) * m * n > kSlicedMaxPartials) depth *= 2;
  return depth;
}

// C[M,N] = op(A)·op(B) over up to `threads` threads, which take chunks of columns as they come, each 1/(2·threads)
// of the columns left (guided scheduling: large chunks first, single panels at the end): a thread that starts late
// or is interrupted takes fewer, and the last chunks are small, so neither thread waits long for the other's. With
// two fixed chunks a thread the calling thread waited for the worker after its own share in 55 % of the VIB step's
// products, 60 µs per product on average; guided, 41 µs (counted in the pool; 2-core Zen 4, 2026-12-06); the step's
// products alone, warm and interleaved in a C++ harness, 1–2 % faster. Each chunk is whole panels, and each element
// of C is summed by one thread in one order, so any split gives the same bits.
//
// A product with fewer panels of columns than threads (as narrow as a convolution with 32 filters or fewer: the first
// layer of an MNIST CNN is 78,400 rows × 25 × 32, one panel) but at least kRowSplitMacs multiply-adds splits its rows
// instead: bands of whole tiles of Isa::kMR rows, claimed by the threads as they come, each band a product of its own
// on one thread. A band's tiles are the whole product's tiles (it starts on a multiple of kMR), so the same bits. That
// layer's forward product took 2.9 ms on one thread, 2.1 split (2-core Zen 4, 2026-12-07).
//
// A product of at least kRowSplitMacs multiply-adds with a C of at most kSlicedMaxOutputs elements and a depth of
// 2·kSliceDepth or more is cut along its depth instead, on one thread as on many: slices of SliceDepth(), claimed by
// the threads as they come, each a product of its own into a partial C of its own (the first into C), then added to
// C in slice order. That layer's filter gradient (25 × 32 over 78,400 positions: 3 tiles of rows) had run as three
// bands, one thread doing two of them, each reading all of dY. The cut is set by the shape alone and the slices added
// in one order, so any number of threads, and either kernel, gives the same bits (not those of the uncut product,
// whose depth blocks were added in another grouping; the float64 product's as closely).
//
// With a `source`, op(B) is written block by block as the packing needs it (see BlockSource; b and ldb unused): the
// same floats reach the micro-kernels as from a stored B, by the same paths, so the same bits come out. So with an
// `aSource` for op(A) (a and lda unused; see BlockSource), and with a `packedB` from PackWholeB (b and ldb unused).
template <class Isa>
inline void Multiply(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                     int64_t ldb, float* c, int64_t ldc, int threads, const BlockSource* source = nullptr,
                     const BlockSource* aSource = nullptr, const float* packedB = nullptr) {
  const int64_t panels = (n + Isa::kNR - 1) / Isa::kNR;
  const int use = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, panels)));
  const int64_t tiles = (m + Isa::kMR - 1) / Isa::kMR;
  if (m * n * k >= kRowSplitMacs && m * n <= kSlicedMaxOutputs && k >= 2 * kSliceDepth) {
    const int64_t depth = SliceDepth(m, n, k), slices = (k + depth - 1) / depth;
    // every slice's partial C is written whole by its first depth block, so the buffer is kept from call to call
    // rather than allocated and zeroed (its pages faulted in again) for each product
    thread_local std::unique_ptr<float[], AlignedFree> pbuf;
    thread_local int64_t pcap = 0;
    float* const partial = Scratch(pbuf, pcap, (slices - 1) * m * n);
    std::atomic<int64_t> next{0};
    pool::Pool::Get().Run(threads, [&](int) {
      for (int64_t s = next.fetch_add(1, std::memory_order_relaxed); s < slices; s = next.fetch_add(1, std::memory_order_relaxed)) {
        const int64_t k0 = s * depth, kc = std::min(depth, k - k0);
        // op(A)[i, k0 + p] and op(B)[k0 + p, j]: the slice's first column of op(A) and first row of op(B)
        const float* as = aSource ? nullptr : ta ? a + k0 * lda : a + k0;
        const float* bs = source ? nullptr : tb ? b + k0 : b + k0 * ldb;
        float* cs = s == 0 ? c : partial + (s - 1) * m * n;
        Product slice{as, lda, ta, bs, ldb, tb, cs, s == 0 ? ldc : n, m, n, kc, 1};
        // a source's rows of op(B) from the slice's first
        BlockSource sliced = source ? *source : BlockSource{};
        sliced.kFrom += k0;
        slice.source = source ? &sliced : nullptr;
        BlockSource aSliced = aSource ? *aSource : BlockSource{};
        aSliced.kFrom += k0;
        slice.aSource = aSource ? &aSliced : nullptr;
        // a slice's depth is whole blocks of kKC: its blocks are the packed B's from row k0 on
        slice.packedB = packedB ? packedB + k0 * PaddedColumns<Isa>(n) : nullptr;
        Participate<Isa>(slice);
      }
    });
    for (int64_t s = 1; s < slices; ++s) {
      const float* ps = partial + (s - 1) * m * n;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) c[i * ldc + j] += ps[i * n + j];
    }
    return;
  }
  if (use < threads && m * n * k >= kRowSplitMacs && tiles >= threads) {
    const int64_t bandTiles = std::max<int64_t>(1, tiles / (kBandsPerThread * threads));
    std::atomic<int64_t> next{0};
    pool::Pool::Get().Run(threads, [&](int) {
      for (int64_t t0 = next.fetch_add(bandTiles, std::memory_order_relaxed); t0 < tiles;
           t0 = next.fetch_add(bandTiles, std::memory_order_relaxed)) {
        const int64_t i0 = t0 * Isa::kMR, i1 = std::min(m, (t0 + bandTiles) * Isa::kMR);
        Product band{aSource ? nullptr : ta ? a + i0 : a + i0 * lda, lda, ta, b, ldb, tb, c + i0 * ldc, ldc, i1 - i0, n, k, 1};
        band.source = source;
        // a source's rows of op(A) from the band's first
        BlockSource aBand = aSource ? *aSource : BlockSource{};
        aBand.jFrom += i0;
        band.aSource = aSource ? &aBand : nullptr;
        band.packedB = packedB;
        Participate<Isa>(band);
      }
    });
    return;
  }
  Product p{a, lda, ta, b, ldb, tb, c, ldc, m, n, k, 2 * int64_t{use}};
  p.source = source;
  p.aSource = aSource;
  p.packedB = packedB;
  if (use == 1) {
    Participate<Isa>(p);
    return;
  }
  pool::Pool::Get().Run(use, [&p](int) { Participate<Isa>(p); });
}

}  // namespace gemm
