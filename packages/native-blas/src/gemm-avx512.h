// An AVX-512 single-precision GEMM for the shapes of small-batch training: C = op(A)·op(B), row-major, C written
// (not accumulated into). Packed blocks as in Goto & van de Geijn, "Anatomy of high-performance matrix
// multiplication" (ACM TOMS 34(3), 2008): a block of op(B) of kKC rows is packed into panels of kNR = 32 columns,
// all of op(A)'s rows into micro-panels of MR rows, and an MR×32 micro-kernel keeps its tile of C in 2·MR zmm
// registers. Each element of C is summed in the same order (k ascending within blocks of kKC, blocks in order)
// whatever the thread count and whichever thread computes it, so results do not depend on either.
#pragma once
#if defined(__AVX512F__)
#include <immintrin.h>

#include <cstdint>

#include "gemm-common.h"

namespace gemm {

// AVX-512's part of the GEMM (see gemm-common.h): 32-column panels in two zmm registers, a 10×32 tile.
struct Avx512 {
  static constexpr int kNR = 32;
  static constexpr int kMR = 10;
  using Mask = __mmask16;

  // The mask of the first `lanes` of 16 (none for lanes ≤ 0, all for lanes ≥ 16): a 32-column panel `w` wide is
  // covered by LowMask(w) and LowMask(w − 16).
  static Mask LowMask(int64_t lanes) {
    return static_cast<__mmask16>(lanes <= 0 ? 0 : lanes >= 16 ? 0xFFFF : (1u << lanes) - 1);
  }

  // One row of a B panel: the 32 floats at `src` under the masks (zeros elsewhere) to the aligned `dst`.
  static void PanelRow(const float* src, Mask m0, Mask m1, float* dst) {
    _mm512_store_ps(dst, _mm512_maskz_loadu_ps(m0, src));
    _mm512_store_ps(dst + 16, _mm512_maskz_loadu_ps(m1, src + 16));
  }

  // One register's worth for the few-row products (`Skinny` in gemm-common.h): 16 floats, and the operations on them.
  using V = __m512;
  static constexpr int kW = 16;
  static V Zero() { return _mm512_setzero_ps(); }
  static V Splat(float x) { return _mm512_set1_ps(x); }
  static V Load(const float* p) { return _mm512_loadu_ps(p); }
  static V Load(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static V Fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static void Store(float* p, V x) { _mm512_storeu_ps(p, x); }
  static void Store(float* p, Mask m, V x) { _mm512_mask_storeu_ps(p, m, x); }

  // C[0 .. rows) × [0 .. 32 under the masks) (+)= the MR×32 product of a packed micro-panel pair over kc, asking
  // for the npf cache lines at pf[0 .. npf) on the way (`PrefetchPacer` in gemm-common.h).
  template <int MR>
  static void Kernel(int64_t kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                     int64_t rows, bool accumulate, Mask m0, Mask m1, const float* const* pf, int npf) {
    __m512 c0[MR], c1[MR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      c0[i] = _mm512_setzero_ps();
      c1[i] = _mm512_setzero_ps();
    }
    PrefetchPacer pace(pf, npf, kc);
    for (int64_t k = 0; k < kc; ++k) {
      pace.At(k);
      const __m512 b0 = _mm512_load_ps(b);
      const __m512 b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        const __m512 ai = _mm512_set1_ps(a[i]);
        c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
        c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
      }
      a += MR;
      b += kNR;
    }
    pace.Rest();
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      if (i < rows) {
        float* row = c + i * ldc;
        if (accumulate) {
          c0[i] = _mm512_add_ps(c0[i], _mm512_maskz_loadu_ps(m0, row));
          c1[i] = _mm512_add_ps(c1[i], _mm512_maskz_loadu_ps(m1, row + 16));
        }
        _mm512_mask_storeu_ps(row, m0, c0[i]);
        _mm512_mask_storeu_ps(row + 16, m1, c1[i]);
      }
    }
  }
};

// The addon's own GEMM in this build.
using Own = Avx512;

}  // namespace gemm
#endif
