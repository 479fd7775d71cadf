// Fused elementwise chains of the VIB and VAE steps, for @vib/native-blas's `fused` (8-lane, vec-math.h).
// Each reads up to three inputs a, b, c and writes out; the same formulas as @vib/backends' fused kernels.
#pragma once
#include "vec-math.h"

namespace vecmath {

enum FusedOp {
  kStdNormalKL = 0,      // ½(e^b + a² − 1 − b)          a = μ, b = log σ²
  kStdNormalKLGrad = 1,  // ½·a·(e^b − 1)                 a = dy, b = log σ²
  kReparam = 2,          // a + e^(b/2)·c                 a = μ, b = log σ², c = ε
  kReparamGrad = 3,      // ½·a·c·e^(b/2)                 a = dy, b = log σ², c = ε
  kBernoulliNll = 4,     // softplus(a) − b·a             a = logits, b = targets
  kBernoulliResid = 5,   // σ(a) − b                      a = logits, b = targets
  kReluGrad = 6,         // a·step(b): 1 where b > 0, 0 elsewhere, NaN where b is NaN   a = dy, b = ReLU output
  kSoftplusLogVar = 7,   // 2·log(softplus(a − 5) + 1e-6)  a = raw: log σ² of the softplus scale
  kSoftplusLogVarGrad = 8,  // (2·a)/(softplus(b − 5) + 1e-6)·σ(b − 5)   a = dy, b = raw
};

template <int OP>
inline v8f fusedApply(v8f a, v8f b, v8f c) {
  const v8f half = splat(0.5f), one = splat(1.f);
  switch (OP) {
    case kStdNormalKL: return half * (expv(b) + a * a - one - b);
    case kStdNormalKLGrad: return half * a * (expv(b) - one);
    case kReparam: return a + expv(half * b) * c;
    case kReparamGrad: return half * a * c * expv(half * b);
    case kBernoulliNll: return softplusv(a) - b * a;
    case kReluGrad: return a * sel(b != b, b, sel(b > splat(0.f), one, splat(0.f)));
    case kSoftplusLogVar: return splat(2.f) * logv(softplusv(a - splat(5.f)) + splat(1e-6f));
    case kSoftplusLogVarGrad: {
      const v8f t = b - splat(5.f);
      return a * splat(2.f) / (softplusv(t) + splat(1e-6f)) * sigmoidv(t);
    }
    default: return sigmoidv(a) - b;
  }
}

// out[i] = OP(a[i], b[i], c[i]) over n floats; c may be null when OP does not read it.
template <int OP>
void runFused(const float* a, const float* b, const float* c, float* out, int64_t n) {
  int64_t i = 0;
  v8f va, vb, vc = splat(0.f);
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&va, a + i, sizeof va);
    std::memcpy(&vb, b + i, sizeof vb);
    if (c) std::memcpy(&vc, c + i, sizeof vc);
    v8f y = fusedApply<OP>(va, vb, vc);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {
    const size_t rest = sizeof(float) * (n - i);
    va = vb = vc = splat(0.f);
    std::memcpy(&va, a + i, rest);
    std::memcpy(&vb, b + i, rest);
    if (c) std::memcpy(&vc, c + i, rest);
    v8f y = fusedApply<OP>(va, vb, vc);
    std::memcpy(out + i, &y, rest);
  }
}

// Whether op reads its third input.
inline bool fusedReadsC(int op) { return op == kReparam || op == kReparamGrad; }

// A loop over n floats: out[i] = op(a[i], b[i], c[i]); c is null where the op does not read it.
using FusedFn = void (*)(const float* a, const float* b, const float* c, float* out, int64_t n);

// The loop of `op` (a `FusedOp`), or nullptr for any other number: the one place that maps the numbers to the loops.
inline FusedFn fusedFn(int op) {
  switch (op) {
    case kStdNormalKL: return runFused<kStdNormalKL>;
    case kStdNormalKLGrad: return runFused<kStdNormalKLGrad>;
    case kReparam: return runFused<kReparam>;
    case kReparamGrad: return runFused<kReparamGrad>;
    case kBernoulliNll: return runFused<kBernoulliNll>;
    case kBernoulliResid: return runFused<kBernoulliResid>;
    case kReluGrad: return runFused<kReluGrad>;
    case kSoftplusLogVar: return runFused<kSoftplusLogVar>;
    case kSoftplusLogVarGrad: return runFused<kSoftplusLogVarGrad>;
    default: return nullptr;
  }
}

}  // namespace vecmath
