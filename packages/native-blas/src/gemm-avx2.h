// An AVX2 + FMA single-precision GEMM, for CPUs without AVX-512: the structure of gemm-avx512.h (packed blocks as in
// Goto & van de Geijn, ACM TOMS 34(3), 2008; chunks of columns taken by the threads as they come) with 8-float ymm
// registers. A block of op(B) of kKC rows is packed into panels of kNR = 16 columns, op(A)'s rows into micro-panels
// of MR = 6 rows, and the 6×16 micro-kernel keeps its tile of C in 12 of the 16 ymm registers.
//
// Each element of C is the same sum as gemm-avx512.h's: a chain of fused multiply-adds from +0 over k ascending
// within each block of kKC = 256, the blocks' sums added to C in order. Neither the vector width, the tile nor the
// thread count changes that order, so this kernel gives that one's bits, whatever the threads.
#pragma once
#if !defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "gemm-common.h"
#include "thread-pool.h"

namespace gemm {

constexpr int kNR = 16;
constexpr int kMR = 6;

// The lane mask of the first `lanes` of 8 (none for lanes ≤ 0, all for lanes ≥ 8): a 16-column panel `w` wide is
// covered by LowMask(w) and LowMask(w − 8).
inline __m256i LowMask(int64_t lanes) {
  const int64_t n = lanes <= 0 ? 0 : lanes >= 8 ? 8 : lanes;
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// op(B)[k0 .. k0+kc) × [j0 .. j0+nc) into panels of kNR columns, each kc rows of kNR floats; columns past nc are zero.
inline void PackB(const float* b, int64_t ldb, bool tb, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* out) {
  for (int64_t jp = 0; jp < nc; jp += kNR) {
    const int64_t w = std::min<int64_t>(kNR, nc - jp);
    float* panel = out + jp * kc;
    if (!tb) {
      const __m256i m0 = LowMask(w), m1 = LowMask(w - 8);
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = b + (k0 + k) * ldb + j0 + jp;
        _mm256_store_ps(panel + k * kNR, _mm256_maskload_ps(src, m0));
        _mm256_store_ps(panel + k * kNR + 8, _mm256_maskload_ps(src + 8, m1));
      }
    } else {
      // op(B)(k, j) = B[j·ldb + k]: each column j is a contiguous run of k
      for (int64_t j = 0; j < kNR; ++j) {
        if (j < w) {
          const float* src = b + (j0 + jp + j) * ldb + k0;
          for (int64_t k = 0; k < kc; ++k) panel[k * kNR + j] = src[k];
        } else {
          for (int64_t k = 0; k < kc; ++k) panel[k * kNR + j] = 0.f;
        }
      }
    }
  }
}

// C[0 .. rows) × [0 .. 16 under the masks) (+)= the MR×16 product of a packed micro-panel pair over kc.
template <int MR>
inline void Kernel(int64_t kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                   int64_t rows, bool accumulate, __m256i m0, __m256i m1) {
  __m256 c0[MR], c1[MR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    c0[i] = _mm256_setzero_ps();
    c1[i] = _mm256_setzero_ps();
  }
  for (int64_t k = 0; k < kc; ++k) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      c0[i] = _mm256_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_ps(ai, b1, c1[i]);
    }
    a += MR;
    b += kNR;
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    if (i < rows) {
      float* row = c + i * ldc;
      if (accumulate) {
        c0[i] = _mm256_add_ps(c0[i], _mm256_maskload_ps(row, m0));
        c1[i] = _mm256_add_ps(c1[i], _mm256_maskload_ps(row + 8, m1));
      }
      _mm256_maskstore_ps(row, m0, c0[i]);
      _mm256_maskstore_ps(row + 8, m1, c1[i]);
    }
  }
}

// Takes chunks of columns until none is left: C[:, chunk] = op(A)·op(B)[:, chunk], over depth blocks in order. The
// split depends on timing, but every element is summed by one thread in the same order, so results do not.
template <int MR>
void Participate(Product& p) {
  thread_local std::unique_ptr<float[], AlignedFree> abuf, bbuf;
  thread_local int64_t acap = 0, bcap = 0;
  const int64_t mPanels = (p.m + MR - 1) / MR;
  const bool keepA = mPanels * MR * p.k <= kKeepPackedA;
  bool packed = false;
  for (;;) {
    const int64_t j0 = p.next.fetch_add(p.chunk, std::memory_order_relaxed);
    if (j0 >= p.n) break;
    const int64_t nc = std::min(p.chunk, p.n - j0);
    const int64_t nPanels = (nc + kNR - 1) / kNR;
    float* const aAll = Scratch(abuf, acap, mPanels * MR * (keepA ? p.k : std::min(kKC, p.k)));
    float* const pb = Scratch(bbuf, bcap, nPanels * kNR * std::min(kKC, p.k));
    for (int64_t k0 = 0; k0 < p.k; k0 += kKC) {
      const int64_t kc = std::min<int64_t>(kKC, p.k - k0);
      float* const pa = keepA ? aAll + mPanels * MR * k0 : aAll;
      if (!packed) PackA<MR>(p.a, p.lda, p.ta, p.m, k0, kc, pa);
      PackB(p.b, p.ldb, p.tb, k0, kc, j0, nc, pb);
      for (int64_t jp = 0; jp < nPanels; ++jp) {
        const int64_t w = std::min<int64_t>(kNR, nc - jp * kNR);
        const __m256i m0 = LowMask(w), m1 = LowMask(w - 8);
        for (int64_t ip = 0; ip < mPanels; ++ip) {
          Kernel<MR>(kc, pa + ip * MR * kc, pb + jp * kNR * kc, p.c + ip * MR * p.ldc + j0 + jp * kNR, p.ldc,
                     std::min<int64_t>(MR, p.m - ip * MR), k0 > 0, m0, m1);
        }
      }
    }
    packed = keepA;
  }
}

// C[M,N] = op(A)·op(B) over up to `threads` threads, which take chunks of columns (about two each) as they come.
inline void Multiply(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                     int64_t ldb, float* c, int64_t ldc, int threads) {
  const int64_t panels = (n + kNR - 1) / kNR;
  const int use = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, panels)));
  const int64_t perChunk = std::max<int64_t>(1, panels / (2 * use));
  Product p{a, lda, ta, b, ldb, tb, c, ldc, m, n, k, perChunk * kNR};
  if (use == 1) {
    Participate<kMR>(p);
    return;
  }
  pool::Pool::Get().Run(use, [&p](int) { Participate<kMR>(p); });
}

}  // namespace gemm
#endif
