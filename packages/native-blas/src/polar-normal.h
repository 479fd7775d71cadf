// Normal draws with exactly the numbers of TensorFlow.js's tf.randomNormal: Alea (seedrandom.alea) and
// Marsaglia's polar method as @vib/core's polarSpan runs them in JavaScript, but several independent spans of
// the stream ("lanes", each from its own jumped-ahead state) interleaved in one loop, so that the serial
// dependency of each lane's generator overlaps with the others' and with the logarithms.
//
// Bitwise agreement with V8 needs two things:
//  - the same double arithmetic, each product and sum rounded on its own: no fused multiply-add, so
//    contraction is off in this file (GCC: optimize pragma; clang: fp contract pragma);
//  - V8's Math.log, which is not the C library's (glibc's log differs from it in about 6 % of arguments by
//    one ulp). V8 computes it with the algorithm of fdlibm's e_log.c (Sun Microsystems, 1993; FreeBSD msun):
//    argument reduction to 1 + f in [√2/2, √2), s = f / (2 + f), and a degree-14 minimax polynomial in s
//    split into odd and even parts, then recombination with ln 2 in two pieces. Log() below is that algorithm
//    written for the arguments the polar method gives (0 < s < 1, and s ≥ 2^-62: never subnormal), with
//    fdlibm's constants.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace polar {

// ln x for a positive normal x, bitwise V8's Math.log (fdlibm's algorithm, see above).
inline double Log(double x) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  // fdlibm's constants (hexadecimal literals are exact): ln 2 in two pieces, and the polynomial's coefficients
  constexpr double kLn2Hi = 0x1.62e42fee00000p-1, kLn2Lo = 0x1.a39ef35793c76p-33;
  constexpr double kL1 = 0x1.5555555555593p-1, kL2 = 0x1.999999997fa04p-2, kL3 = 0x1.2492494229359p-2,
                   kL4 = 0x1.c71c51d8e78afp-3, kL5 = 0x1.7466496cb03dep-3, kL6 = 0x1.39a09d078c69fp-3,
                   kL7 = 0x1.2f112df3e5244p-3;
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  int32_t high = static_cast<int32_t>(u >> 32);
  if (high < 0x00100000 || high >= 0x7ff00000) return std::log(x);  // zero, subnormal, negative, inf, NaN: not from the polar method
  // x = 2^k · m with m in [1, 2); move m to [√2/2, √2) (k one higher) when m is above about √2
  int32_t k = (high >> 20) - 1023;
  const int32_t mant = high & 0x000fffff;
  const int32_t up = (mant + 0x95f64) & 0x100000;
  k += up >> 20;
  u = (static_cast<uint64_t>(static_cast<uint32_t>(mant | (up ^ 0x3ff00000))) << 32) | (u & 0xffffffffull);
  double m;
  std::memcpy(&m, &u, sizeof m);
  const double f = m - 1.0;
  const double dk = static_cast<double>(k);
  if ((0x000fffff & (2 + mant)) < 3) {  // |f| < 2^-20: two terms of the series
    if (f == 0.0) return k == 0 ? 0.0 : dk * kLn2Hi + dk * kLn2Lo;
    const double r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * kLn2Hi - ((r - dk * kLn2Lo) - f);
  }
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double even = w * (kL2 + w * (kL4 + w * kL6));
  const double odd = z * (kL1 + w * (kL3 + w * (kL5 + w * kL7)));
  const double r = odd + even;
  if (((mant - 0x6147a) | (0x6b851 - mant)) > 0) {  // m far from 1: with the half square
    const double half = 0.5 * f * f;
    return k == 0 ? f - (half - s * (half + r)) : dk * kLn2Hi - ((half - (s * (half + r) + dk * kLn2Lo)) - f);
  }
  return k == 0 ? f - s * (f - r) : dk * kLn2Hi - ((s * (f - r) - dk * kLn2Lo) - f);
}

// Alea's state in units as seedrandom keeps it: a carry c and three words in [0, 1) (s0 the oldest).
struct Lane {
  double c, s0, s1, s2;
};

// One Alea output: t = 2091639·s0 + c·2^-32, the new word t − ⌊t⌋ and the new carry ⌊t⌋ (exact in doubles).
inline double Next(Lane& a) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  const double t = 2091639.0 * a.s0 + a.c * 2.3283064365386963e-10;
  a.s0 = a.s1;
  a.s1 = a.s2;
  a.c = static_cast<double>(static_cast<int32_t>(t));
  a.s2 = t - a.c;
  return 2.0 * a.s2 - 1.0;
}

// The polar method over exactly `uniforms` outputs (even) of each of `count` lanes, interleaved: lane i writes
// the two values of each accepted pair to out[i·uniforms ...] in order and its pair count to pairs[i]; every
// lane's state is advanced by `uniforms` outputs. Values: float32(mean + stdDev·v·√(−2 ln s / s)).
template <int kLanes>
void Lanes(float* out, Lane* lanes, int64_t uniforms, double mean, double stdDev, int64_t* pairs) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  Lane a[kLanes];
  float* w[kLanes];
  for (int i = 0; i < kLanes; ++i) {
    a[i] = lanes[i];
    w[i] = out + i * uniforms;
  }
  for (int64_t k = 0; k < uniforms; k += 2) {
    double v1[kLanes], v2[kLanes];
    for (int i = 0; i < kLanes; ++i) v1[i] = Next(a[i]);
    for (int i = 0; i < kLanes; ++i) v2[i] = Next(a[i]);
    for (int i = 0; i < kLanes; ++i) {
      const double s = v1[i] * v1[i] + v2[i] * v2[i];
      if (s >= 1.0 || s == 0.0) continue;
      const double mul = std::sqrt((-2.0 * Log(s)) / s);
      w[i][0] = static_cast<float>(mean + stdDev * v1[i] * mul);
      w[i][1] = static_cast<float>(mean + stdDev * v2[i] * mul);
      w[i] += 2;
    }
  }
  for (int i = 0; i < kLanes; ++i) {
    lanes[i] = a[i];
    pairs[i] = (w[i] - (out + i * uniforms)) / 2;
  }
}

}  // namespace polar

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif
