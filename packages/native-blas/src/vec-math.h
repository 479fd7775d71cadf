// Vectorized float32 exp/log and the activations built on them, for @vib/native-blas's `unary`.
// GCC/Clang vector extensions (8 lanes: one AVX register, two SSE/NEON ones), no intrinsics, so it builds on
// any target. Polynomials are Cephes's expf/logf (S. L. Moshier), relative error ≈ 1e-7 on the reduced range.
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>

namespace vecmath {

typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

inline v8f splat(float x) { return v8f{x, x, x, x, x, x, x, x}; }
inline v8i splati(int32_t x) { return v8i{x, x, x, x, x, x, x, x}; }
inline v8f sel(v8i mask, v8f a, v8f b) { return (v8f)((mask & (v8i)a) | (~mask & (v8i)b)); }
inline v8f floorv(v8f x) {
  v8f t = __builtin_convertvector(__builtin_convertvector(x, v8i), v8f);  // toward zero
  return sel(t > x, t - splat(1.f), t);
}
inline v8f absv(v8f x) { return (v8f)((v8i)x & splati(0x7fffffff)); }

// e^x: x = n·ln2 + r, |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n through the exponent bits.
// Overflow gives +inf, NaN stays NaN; results below e^−87 ≈ 1.6e-38 flush to 0 (as under FTZ): subnormal
// results cost a microcode assist per lane on x86 (tanh and sigmoid of large |x| ran 10× slower with them).
inline v8f expv(v8f x) {
  const v8f hi = splat(88.7228391f), lo = splat(-87.0f);
  v8f xc = sel(x > hi, hi, sel(x < lo, lo, x));
  v8f n = floorv(xc * splat(1.44269504088896341f) + splat(0.5f));
  v8f r = xc - n * splat(0.693359375f) + n * splat(2.12194440e-4f);
  v8f p = splat(1.9875691500e-4f);
  p = p * r + splat(1.3981999507e-3f);
  p = p * r + splat(8.3334519073e-3f);
  p = p * r + splat(4.1665795894e-2f);
  p = p * r + splat(1.6666665459e-1f);
  p = p * r + splat(5.0000001201e-1f);
  p = p * r * r + r + splat(1.f);
  // 2^n in two factors so n = 128 (x near the overflow bound) stays representable.
  v8i ni = __builtin_convertvector(n, v8i);
  v8i half = ni >> 1;
  v8f s1 = (v8f)((half + splati(127)) << 23), s2 = (v8f)((ni - half + splati(127)) << 23);
  v8f y = p * s1 * s2;
  y = sel(x > hi, splat(std::numeric_limits<float>::infinity()), y);
  y = sel(x < lo, splat(0.f), y);
  return sel(x != x, x, y);
}

// log x: x = m·2^e with m in [√½, √2), log(m) by Cephes's polynomial; 0 → −inf, x < 0 → NaN, +inf → +inf.
// Subnormal inputs are scaled by 2^23 first.
inline v8f logv(v8f x) {
  v8i tiny = (x < splat(1.17549435e-38f)) & (x > splat(0.f));
  v8f xs = sel(tiny, x * splat(8388608.f), x);
  v8i bits = (v8i)xs;
  v8f e = __builtin_convertvector(((bits >> 23) & splati(0xff)) - splati(126), v8f);
  e = sel(tiny, e - splat(23.f), e);
  v8f m = (v8f)((bits & splati(0x807fffff)) | splati(0x3f000000));  // [0.5, 1)
  v8i small = m < splat(0.707106781186547524f);
  e = sel(small, e - splat(1.f), e);
  m = sel(small, m + m - splat(1.f), m - splat(1.f));
  v8f z = m * m;
  v8f y = splat(7.0376836292e-2f);
  y = y * m - splat(1.1514610310e-1f);
  y = y * m + splat(1.1676998740e-1f);
  y = y * m - splat(1.2420140846e-1f);
  y = y * m + splat(1.4249322787e-1f);
  y = y * m - splat(1.6668057665e-1f);
  y = y * m + splat(2.0000714765e-1f);
  y = y * m - splat(2.4999993993e-1f);
  y = y * m + splat(3.3333331174e-1f);
  y = y * m * z;
  y = y - e * splat(2.12194440e-4f) - splat(0.5f) * z;
  v8f out = m + y + e * splat(0.693359375f);
  const float inf = std::numeric_limits<float>::infinity();
  out = sel(x == splat(0.f), splat(-inf), out);
  out = sel(x == splat(inf), x, out);
  return sel((x < splat(0.f)) | (x != x), splat(std::numeric_limits<float>::quiet_NaN()), out);
}

// log(1 + x) without cancellation: with u = 1 + x rounded, log(u)·x/(u − 1) (Goldberg 1991); x when u = 1.
inline v8f log1pv(v8f x) {
  v8f u = x + splat(1.f);
  v8f d = u - splat(1.f);
  v8f y = logv(u) * (x / sel(d == splat(0.f), splat(1.f), d));
  y = sel(d == splat(0.f), x, y);
  return sel(x == splat(std::numeric_limits<float>::infinity()), x, y);
}

// softplus x = max(x, 0) + log1p(u), u = e^−|x| in [0, 1]. There log1p(u) = 2·atanh(s) with s = u/(2 + u) in
// [0, 1/3]: 2s·(1 + s²/3 + s⁴/5 + … + s¹²/13), whose next term is below 2·10⁻⁸ of the sum. One division and a
// degree-6 polynomial in s² instead of a general log1p (its exponent split, its own division and special cases):
// 3.4 → 1.3 ns an element here, within 2.4e-7 relative of the float64 closed form.
inline v8f softplusv(v8f x) {
  v8f pos = sel(x > splat(0.f), x, splat(0.f));
  v8f u = expv(-absv(x));
  v8f s = u / (splat(2.f) + u);
  v8f z = s * s;
  v8f p = splat(1.f / 13.f);
  p = p * z + splat(1.f / 11.f);
  p = p * z + splat(1.f / 9.f);
  p = p * z + splat(1.f / 7.f);
  p = p * z + splat(1.f / 5.f);
  p = p * z + splat(1.f / 3.f);
  p = p * z + splat(1.f);
  v8f y = pos + (s + s) * p;
  return sel(x != x, x, y);
}

// σ(x) = 1 / (1 + e^−x).
inline v8f sigmoidv(v8f x) { return splat(1.f) / (splat(1.f) + expv(-x)); }

// tanh x = sign(x)·(1 − e^−2|x|)/(1 + e^−2|x|); an odd Taylor polynomial below |x| = 0.05 keeps small values
// relative-accurate.
inline v8f tanhv(v8f x) {
  v8f a = absv(x);
  v8f e = expv(splat(-2.f) * a);
  v8f big = (splat(1.f) - e) / (splat(1.f) + e);
  v8f x2 = x * x;
  v8f smallv = x * (splat(1.f) + x2 * (splat(-1.f / 3.f) + x2 * splat(2.f / 15.f)));
  v8f signBits = (v8f)((v8i)x & splati(static_cast<int32_t>(0x80000000u)));
  v8f out = (v8f)((v8i)big | (v8i)signBits);
  out = sel(a < splat(0.05f), smallv, out);
  return sel(x != x, x, out);
}

enum Op { kExp = 0, kLog = 1, kLog1p = 2, kSoftplus = 3, kTanh = 4, kSigmoid = 5 };

inline v8f apply(int op, v8f x) {
  switch (op) {
    case kExp: return expv(x);
    case kLog: return logv(x);
    case kLog1p: return log1pv(x);
    case kSoftplus: return softplusv(x);
    case kTanh: return tanhv(x);
    default: return sigmoidv(x);
  }
}

// out[i] = op(in[i]) for n floats; in and out may be the same array.
template <int OP>
void run(const float* in, float* out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v8f x;
    std::memcpy(&x, in + i, sizeof x);
    v8f y = apply(OP, x);
    std::memcpy(out + i, &y, sizeof y);
  }
  if (i < n) {
    v8f x = splat(0.f);
    std::memcpy(&x, in + i, sizeof(float) * (n - i));
    v8f y = apply(OP, x);
    std::memcpy(out + i, &y, sizeof(float) * (n - i));
  }
}

// A loop over n floats: out[i] = op(in[i]).
using UnaryFn = void (*)(const float* in, float* out, int64_t n);

// The loop of `op` (an `Op`), or nullptr for any other number: the one place that maps the numbers to the loops.
inline UnaryFn unaryFn(int op) {
  switch (op) {
    case kExp: return run<kExp>;
    case kLog: return run<kLog>;
    case kLog1p: return run<kLog1p>;
    case kSoftplus: return run<kSoftplus>;
    case kTanh: return run<kTanh>;
    case kSigmoid: return run<kSigmoid>;
    default: return nullptr;
  }
}

}  // namespace vecmath
