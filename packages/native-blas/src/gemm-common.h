// What the addon's two GEMM kernels (gemm-avx512.h, gemm-avx2.h) share and that uses no vector instructions: scratch
// buffers, op(A)'s packing into micro-panels, and the record of one product shared by its threads.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>

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

// op(A)[0 .. m) × [k0 .. k0+kc) into micro-panels of MR rows, each kc columns of MR floats; rows past m are zero.
template <int MR>
inline void PackA(const float* a, int64_t lda, bool ta, int64_t m, int64_t k0, int64_t kc, float* out) {
  for (int64_t ip = 0; ip < m; ip += MR) {
    const int64_t h = std::min<int64_t>(MR, m - ip);
    float* panel = out + ip * kc;
    if (ta) {
      // op(A)(i, k) = A[k·lda + i]: each k holds a contiguous run of i
      for (int64_t k = 0; k < kc; ++k) {
        const float* src = a + (k0 + k) * lda + ip;
        float* dst = panel + k * MR;
        int64_t i = 0;
        for (; i < h; ++i) dst[i] = src[i];
        for (; i < MR; ++i) dst[i] = 0.f;
      }
    } else {
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
  int64_t chunk;                   // columns per chunk, a multiple of the panel width
  std::atomic<int64_t> next{0};    // first column of the next chunk to take
};

// Packed A is kept for the whole product (every depth block) when it holds at most this many floats (16 MB), so a
// thread packs it once however many chunks it takes; a larger A is packed again for each chunk.
constexpr int64_t kKeepPackedA = int64_t{1} << 22;

}  // namespace gemm
