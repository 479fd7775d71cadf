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
#if defined(__AVX512F__) && defined(__AVX512DQ__)
#include <immintrin.h>
#endif

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

#if defined(__AVX512F__) && defined(__AVX512DQ__)
// Eight lanes in the eight doubles of AVX-512 registers: the same operations as Next() and Log() lane by lane
// (separate multiplies and adds, no fused multiply-add), so the same bits. Lanes whose logarithm takes fdlibm's
// branch for |f| < 2^-20 (about one pair in 2^19) are recomputed with Log().
inline __m512d Log8(__m512d x, __mmask8* rare) {
  const __m512i u = _mm512_castpd_si512(x);
  const __m512i high = _mm512_srli_epi64(u, 32);
  const __m512i mant = _mm512_and_si512(high, _mm512_set1_epi64(0x000fffff));
  const __m512i up = _mm512_and_si512(_mm512_add_epi64(mant, _mm512_set1_epi64(0x95f64)), _mm512_set1_epi64(0x100000));
  const __m512i k = _mm512_add_epi64(_mm512_sub_epi64(_mm512_srli_epi64(high, 20), _mm512_set1_epi64(1023)), _mm512_srli_epi64(up, 20));
  const __m512i top = _mm512_or_si512(mant, _mm512_xor_si512(up, _mm512_set1_epi64(0x3ff00000)));
  const __m512d m = _mm512_castsi512_pd(_mm512_or_si512(_mm512_slli_epi64(top, 32), _mm512_and_si512(u, _mm512_set1_epi64(0xffffffff))));
  *rare = _mm512_cmplt_epi64_mask(_mm512_and_si512(_mm512_add_epi64(mant, _mm512_set1_epi64(2)), _mm512_set1_epi64(0x000fffff)), _mm512_set1_epi64(3));
  const __m512d f = _mm512_sub_pd(m, _mm512_set1_pd(1.0));
  const __m512d dk = _mm512_cvtepi64_pd(k);
  const __m512d s = _mm512_div_pd(f, _mm512_add_pd(_mm512_set1_pd(2.0), f));
  const __m512d z = _mm512_mul_pd(s, s);
  const __m512d w = _mm512_mul_pd(z, z);
  const auto c = [](double v) { return _mm512_set1_pd(v); };
  const __m512d even = _mm512_mul_pd(w, _mm512_add_pd(c(0x1.999999997fa04p-2), _mm512_mul_pd(w, _mm512_add_pd(c(0x1.c71c51d8e78afp-3), _mm512_mul_pd(w, c(0x1.39a09d078c69fp-3))))));
  const __m512d odd = _mm512_mul_pd(z, _mm512_add_pd(c(0x1.5555555555593p-1), _mm512_mul_pd(w, _mm512_add_pd(c(0x1.2492494229359p-2), _mm512_mul_pd(w, _mm512_add_pd(c(0x1.7466496cb03dep-3), _mm512_mul_pd(w, c(0x1.2f112df3e5244p-3))))))));
  const __m512d r = _mm512_add_pd(odd, even);
  const __m512d hi = _mm512_mul_pd(dk, c(0x1.62e42fee00000p-1));
  const __m512d lo = _mm512_mul_pd(dk, c(0x1.a39ef35793c76p-33));
  // Log()'s two forms with k = 0 folded in: with dk = 0 they give the k = 0 forms' bits (0·c adds or subtracts
  // +0, and 0 − x = −x exactly)
  const __m512d half = _mm512_mul_pd(_mm512_mul_pd(c(0.5), f), f);
  const __m512d withHalf = _mm512_sub_pd(hi, _mm512_sub_pd(_mm512_sub_pd(half, _mm512_add_pd(_mm512_mul_pd(s, _mm512_add_pd(half, r)), lo)), f));
  const __m512d plain = _mm512_sub_pd(hi, _mm512_sub_pd(_mm512_sub_pd(_mm512_mul_pd(s, _mm512_sub_pd(f, r)), lo), f));
  const __mmask8 far = _mm512_cmpgt_epi64_mask(_mm512_or_si512(_mm512_sub_epi64(mant, _mm512_set1_epi64(0x6147a)), _mm512_sub_epi64(_mm512_set1_epi64(0x6b851), mant)), _mm512_setzero_si512());
  return _mm512_mask_blend_pd(far, plain, withHalf);
}

// Lanes<8> with the eight lanes' generators and polar steps in AVX-512 registers.
inline void Lanes8(float* out, Lane* lanes, int64_t uniforms, double mean, double stdDev, int64_t* pairs) {
  alignas(64) double c[8], s0[8], s1[8], s2[8];
  for (int i = 0; i < 8; ++i) c[i] = lanes[i].c, s0[i] = lanes[i].s0, s1[i] = lanes[i].s1, s2[i] = lanes[i].s2;
  __m512d vc = _mm512_load_pd(c), a0 = _mm512_load_pd(s0), a1 = _mm512_load_pd(s1), a2 = _mm512_load_pd(s2);
  const __m512d mult = _mm512_set1_pd(2091639.0), unit = _mm512_set1_pd(2.3283064365386963e-10);
  const __m512d one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
  float* w[8];
  for (int i = 0; i < 8; ++i) w[i] = out + i * uniforms;
  alignas(32) float x1[8], x2[8];
  alignas(64) double sv[8];
  const auto next = [&]() {
    const __m512d t = _mm512_add_pd(_mm512_mul_pd(mult, a0), _mm512_mul_pd(vc, unit));
    a0 = a1;
    a1 = a2;
    vc = _mm512_roundscale_pd(t, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    a2 = _mm512_sub_pd(t, vc);
    return _mm512_sub_pd(_mm512_mul_pd(two, a2), one);
  };
  for (int64_t k = 0; k < uniforms; k += 2) {
    const __m512d v1 = next();
    const __m512d v2 = next();
    const __m512d s = _mm512_add_pd(_mm512_mul_pd(v1, v1), _mm512_mul_pd(v2, v2));
    const __mmask8 ok = _mm512_cmp_pd_mask(s, one, _CMP_LT_OQ) & _mm512_cmp_pd_mask(s, _mm512_setzero_pd(), _CMP_NEQ_OQ);
    // rejected lanes compute from s = 0.5 (no division by zero, nothing kept)
    const __m512d safe = _mm512_mask_blend_pd(ok, _mm512_set1_pd(0.5), s);
    __mmask8 rare;
    __m512d lg = Log8(safe, &rare);
    rare &= ok;
    if (rare) {
      _mm512_store_pd(sv, safe);
      alignas(64) double l[8];
      _mm512_store_pd(l, lg);
      for (int i = 0; i < 8; ++i)
        if (rare >> i & 1) l[i] = Log(sv[i]);
      lg = _mm512_load_pd(l);
    }
    const __m512d mul = _mm512_sqrt_pd(_mm512_div_pd(_mm512_mul_pd(_mm512_set1_pd(-2.0), lg), safe));
    const __m512d sd = _mm512_set1_pd(stdDev), mu = _mm512_set1_pd(mean);
    _mm256_store_ps(x1, _mm512_cvtpd_ps(_mm512_add_pd(mu, _mm512_mul_pd(_mm512_mul_pd(sd, v1), mul))));
    _mm256_store_ps(x2, _mm512_cvtpd_ps(_mm512_add_pd(mu, _mm512_mul_pd(_mm512_mul_pd(sd, v2), mul))));
    // every lane writes its pair and moves on only if it was accepted (a lane's room is `uniforms` floats,
    // and before this step it holds at most k of them)
    for (int i = 0; i < 8; ++i) {
      w[i][0] = x1[i];
      w[i][1] = x2[i];
      w[i] += 2 * (ok >> i & 1);
    }
  }
  _mm512_store_pd(c, vc);
  _mm512_store_pd(s0, a0);
  _mm512_store_pd(s1, a1);
  _mm512_store_pd(s2, a2);
  for (int i = 0; i < 8; ++i) {
    lanes[i] = {c[i], s0[i], s1[i], s2[i]};
    pairs[i] = (w[i] - (out + i * uniforms)) / 2;
  }
}
#endif

// Lanes [0, count) (a multiple of 4): eight at a time in AVX-512 registers where the CPU has them, else four
// interleaved in scalar code.
inline void RunLanes(float* out, Lane* lanes, int64_t count, int64_t uniforms, double mean, double stdDev, int64_t* pairs) {
  int64_t i = 0;
#if defined(__AVX512F__) && defined(__AVX512DQ__)
  for (; i + 8 <= count; i += 8) Lanes8(out + i * uniforms, lanes + i, uniforms, mean, stdDev, pairs + i);
#endif
  for (; i + 4 <= count; i += 4) Lanes<4>(out + i * uniforms, lanes + i, uniforms, mean, stdDev, pairs + i);
}

// Lanes a block of RunLanes takes at once.
#if defined(__AVX512F__) && defined(__AVX512DQ__)
constexpr int64_t kBlock = 8;
#else
constexpr int64_t kBlock = 4;
#endif

}  // namespace polar

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif
