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

#include <cstdint>

#include "gemm-common.h"

namespace gemm {

// AVX2's part of the GEMM (see gemm-common.h): 16-column panels in two ymm registers, a 6×16 tile.
struct Avx2 {
  static constexpr int kNR = 16;
  static constexpr int kMR = 6;
  using Mask = __m256i;

  // The lane mask of the first `lanes` of 8 (none for lanes ≤ 0, all for lanes ≥ 8): a 16-column panel `w` wide is
  // covered by LowMask(w) and LowMask(w − 8).
  static Mask LowMask(int64_t lanes) {
    const int64_t n = lanes <= 0 ? 0 : lanes >= 8 ? 8 : lanes;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }

  // One row of a B panel: the 16 floats at `src` under the masks (zeros elsewhere) to the aligned `dst`.
  static void PanelRow(const float* src, Mask m0, Mask m1, float* dst) {
    _mm256_store_ps(dst, _mm256_maskload_ps(src, m0));
    _mm256_store_ps(dst + 8, _mm256_maskload_ps(src + 8, m1));
  }

  // One register's worth for the few-row products (`Skinny` in gemm-common.h): 8 floats, and the operations on them.
  using V = __m256;
  static constexpr int kW = 8;
  static V Zero() { return _mm256_setzero_ps(); }
  static V Splat(float x) { return _mm256_set1_ps(x); }
  static V Load(const float* p) { return _mm256_loadu_ps(p); }
  static V Load(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static V Fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static void Store(float* p, V x) { _mm256_storeu_ps(p, x); }
  static void Store(float* p, Mask m, V x) { _mm256_maskstore_ps(p, m, x); }

  // C[0 .. rows) × [0 .. 16 under the masks) (+)= the MR×16 product of a packed micro-panel pair over kc, asking
  // for the npf cache lines at pf[0 .. npf) on the way (`PrefetchPacer` in gemm-common.h).
  template <int MR>
  static void Kernel(int64_t kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                     int64_t rows, bool accumulate, Mask m0, Mask m1, const float* const* pf, int npf) {
    __m256 c0[MR], c1[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      c0[i] = _mm256_setzero_ps();
      c1[i] = _mm256_setzero_ps();
    }
    PrefetchPacer pace(pf, npf, kc);
    for (int64_t k = 0; k < kc; ++k) {
      pace.At(k);
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
    pace.Rest();
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
};

// The addon's own GEMM in this build.
using Own = Avx2;

}  // namespace gemm
#endif
