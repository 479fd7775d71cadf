// Receptive fields of a 2-D convolution (NHWC, dilation 1) and a max pool's gradient, on float arrays: the loops the
// convolution kernels of @vib/backends run around their products (im2col and col2im), and the pool's routing of dy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

namespace fields {

// A convolution's or a pool's shapes: input H×W×C, output OH×OW, window KH×KW, strides, and the padding before the
// first row (top) and column (left).
struct Geometry {
  int64_t H, W, C, OH, OW, KH, KW, sh, sw, top, left;
  int64_t ImageFloats() const { return H * W * C; }
  int64_t RowFloats() const { return KW * C; }                     // a window row
  int64_t WindowFloats() const { return KH * KW * C; }             // one output position's receptive field
  int64_t OutputFloats() const { return OH * OW * C; }             // a pool's output image
  int64_t FieldFloats() const { return OH * OW * WindowFloats(); }  // an image's unfolded fields
  // the input rows [first, second) of output row oh's window (its part inside the input), and so the columns of ow's
  std::pair<int64_t, int64_t> WindowRows(int64_t oh) const {
    return {std::max<int64_t>(0, oh * sh - top), std::min(H, oh * sh - top + KH)};
  }
  std::pair<int64_t, int64_t> WindowCols(int64_t ow) const {
    return {std::max<int64_t>(0, ow * sw - left), std::min(W, ow * sw - left + KW)};
  }
};

// Window row kh of output position (b, oh, ow)'s receptive field (RowFloats() wide): its first `skip` floats and
// those after skip + n lie in the padding, and the n floats between start at `from` in the input (n = 0, from = -1
// for a row in the padding).
struct RowRun {
  int64_t skip, from, n;
};
inline RowRun FieldRowRun(const Geometry& g, int64_t b, int64_t oh, int64_t ow, int64_t kh) {
  const int64_t iw0 = ow * g.sw - g.left, ih = oh * g.sh + kh - g.top;
  const int64_t kwLo = std::max<int64_t>(0, -iw0), kwHi = std::min(g.KW, g.W - iw0);
  if (ih < 0 || ih >= g.H || kwHi <= kwLo) return {g.RowFloats(), -1, 0};
  return {kwLo * g.C, ((b * g.H + ih) * g.W + iw0 + kwLo) * g.C, (kwHi - kwLo) * g.C};
}

// at(i, b, oh, ow) for the `count` output positions from `pos` on (counted from the first image of x), in order: the
// position stepped along rather than divided out for each (a block of a filter gradient's fields is 256 positions
// of one run of 32 floats each; stepped along, that product took 7 % less).
template <typename At>
inline void EachPosition(const Geometry& g, int64_t pos, int64_t count, At at) {
  const int64_t per = g.OH * g.OW, b0 = pos / per;
  int64_t b = b0, oh = (pos - b0 * per) / g.OW, ow = pos - b0 * per - oh * g.OW;
  for (int64_t i = 0; i < count; ++i) {
    at(i, b, oh, ow);
    if (++ow == g.OW) {
      ow = 0;
      if (++oh == g.OH) oh = 0, ++b;
    }
  }
}

// Each output position's receptive field of images [b0, b1), a window row at a time, as @vib/backends's
// eachFieldRow: run(o, skip, from, n) for the window row at `o` floats into the fields (RowFloats() wide), as
// FieldRowRun describes it.
template <typename Run>
inline void EachFieldRow(const Geometry& g, int64_t b0, int64_t b1, Run run) {
  const int64_t width = g.RowFloats(), per = g.OH * g.OW;
  int64_t o = 0;
  EachPosition(g, b0 * per, (b1 - b0) * per, [&](int64_t, int64_t b, int64_t oh, int64_t ow) {
    for (int64_t kh = 0; kh < g.KH; ++kh, o += width) {
      const RowRun r = FieldRowRun(g, b, oh, ow, kh);
      run(o, r.skip, r.from, r.n);
    }
  });
}

// The output columns [first, second) whose windows lie wholly inside the input's width (ow·sw − left ≥ 0 and
// ow·sw − left + KW ≤ W); an empty range where none do.
inline std::pair<int64_t, int64_t> InsideCols(const Geometry& g) {
  const int64_t lo = g.left <= 0 ? 0 : (g.left + g.sw - 1) / g.sw, room = g.W - g.KW + g.left;
  const int64_t hi = room < 0 ? 0 : std::min(g.OW, room / g.sw + 1);
  return {std::min(lo, hi), hi};
}

// n floats from src to dst, or n zeros at dst: runs of up to 16 floats (a window row of a narrow convolution: 5 in
// the MNIST CNN's first layer) as moves of a known size, longer ones through memcpy and memset (a call for a few
// floats cost several times the copy).
template <int N>
[[gnu::always_inline]] inline void MoveFloats(float* __restrict dst, const float* __restrict src) {
  if (src) {
    __builtin_memcpy(dst, src, N * sizeof(float));
  } else {
    __builtin_memset(dst, 0, N * sizeof(float));
  }
}
// n floats from src to dst (src null: n zeros).
inline void MoveRun(float* __restrict dst, const float* __restrict src, int64_t n) {
  switch (n) {
    case 1: return MoveFloats<1>(dst, src);
    case 2: return MoveFloats<2>(dst, src);
    case 3: return MoveFloats<3>(dst, src);
    case 4: return MoveFloats<4>(dst, src);
    case 5: return MoveFloats<5>(dst, src);
    case 6: return MoveFloats<6>(dst, src);
    case 7: return MoveFloats<7>(dst, src);
    case 8: return MoveFloats<8>(dst, src);
    case 9: return MoveFloats<9>(dst, src);
    case 10: return MoveFloats<10>(dst, src);
    case 11: return MoveFloats<11>(dst, src);
    case 12: return MoveFloats<12>(dst, src);
    case 13: return MoveFloats<13>(dst, src);
    case 14: return MoveFloats<14>(dst, src);
    case 15: return MoveFloats<15>(dst, src);
    case 16: return MoveFloats<16>(dst, src);
    default:
      if (src) std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
      else std::memset(dst, 0, static_cast<size_t>(n) * sizeof(float));
  }
}

// The whole receptive fields of the `count` output positions from `pos` (counted from the first image of x) into
// `out`, one after another (the rows Unfold writes for them), taken by runs of positions in one output row: each
// window row's input row is worked out once a run, and a window inside the input's width is copied without
// clipping. (Position by position through FieldPart, a narrow convolution's fields gathered for its products took
// several times as long as their copies: 2.5 against 1.0 ms of product for the MNIST CNN's first layer, one thread.)
inline void WholeFields(const float* __restrict x, const Geometry& g, int64_t pos, int64_t count, float* __restrict out) {
  const int64_t C = g.C, width = g.RowFloats(), field = g.WindowFloats(), per = g.OH * g.OW;
  const auto [in0, in1] = InsideCols(g);
  while (count > 0) {
    const int64_t b = pos / per, oh = (pos - b * per) / g.OW, ow0 = pos - b * per - oh * g.OW;
    const int64_t n = std::min(count, g.OW - ow0);  // the run: positions left in this output row
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      const int64_t ih = oh * g.sh - g.top + kh;
      float* t = out + kh * width;
      if (ih < 0 || ih >= g.H) {
        for (int64_t r = 0; r < n; ++r, t += field) MoveRun(t, nullptr, width);
        continue;
      }
      const float* row = x + (b * g.H + ih) * g.W * C;
      for (int64_t ow = ow0; ow < ow0 + n; ++ow, t += field) {
        const int64_t iw0 = ow * g.sw - g.left;
        if (ow >= in0 && ow < in1) {
          MoveRun(t, row + iw0 * C, width);
          continue;
        }
        for (int64_t kw = 0; kw < g.KW; ++kw) {
          const int64_t iw = iw0 + kw;
          MoveRun(t + kw * C, iw < 0 || iw >= g.W ? nullptr : row + iw * C, C);
        }
      }
    }
    pos += n, count -= n, out += n * field;
  }
}

// Unfold images [b0, b1) of x into `rows` (im2col): a row of KH·KW·C floats for each output position, 0 in the
// padding. `rows` holds the fields of image b0 first.
inline void Unfold(const float* __restrict x, float* __restrict rows, const Geometry& g, int64_t b0, int64_t b1) {
  const int64_t per = g.OH * g.OW;
  WholeFields(x, g, b0 * per, (b1 - b0) * per, rows);
}

// Floats [e0, e1) of the receptive field of output position (b, oh, ow) (the row Unfold writes for it) into `out`:
// the window rows' runs from x, 0 in the padding.
inline void FieldPart(const float* __restrict x, const Geometry& g, int64_t b, int64_t oh, int64_t ow, int64_t e0, int64_t e1,
                      float* __restrict out) {
  const int64_t width = g.RowFloats();
  for (int64_t kh = e0 / width, e = e0; e < e1; ++kh) {
    const int64_t off = e - kh * width, n = std::min(e1, (kh + 1) * width) - e;
    const RowRun r = FieldRowRun(g, b, oh, ow, kh);
    // [off, off + n) of the window row: zeros, then the part of its run from the input, then zeros
    const int64_t a = std::clamp(r.skip, off, off + n), z = std::clamp(r.skip + r.n, a, off + n);
    float* o = out + (e - e0);
    if (a > off) std::memset(o, 0, static_cast<size_t>(a - off) * sizeof(float));
    if (z > a) std::memcpy(o + (a - off), x + r.from + (a - r.skip), static_cast<size_t>(z - a) * sizeof(float));
    if (off + n > z) std::memset(o + (z - off), 0, static_cast<size_t>(off + n - z) * sizeof(float));
    e += n;
  }
}

// The receptive fields of the images from x on, as a gemm::BlockSource reads them (`WriteFields`): op(B) is the
// fields [positions × KH·KW·C] (tb false) or their transpose (tb true).
struct FieldsOfImages {
  const float* x;
  Geometry g;
};

// WriteFields's rows [k0, k0 + kc) (positions) × columns [j0, j0 + w) where the columns lie in one pixel of the
// window (w ≤ C; a filter gradient's panel of 32 columns with 32 or more channels): each position's part is w floats
// of one input pixel, or w zeros where that pixel lies in the padding. Returns false, writing nothing, for columns
// across pixels. A panel of 32 floats is copied inline (the general FieldPart's library calls and window-row
// arithmetic for each position took a fifth of the product).
inline bool PixelRuns(const FieldsOfImages& f, int64_t k0, int64_t kc, int64_t j0, int64_t w, float* __restrict out) {
  const Geometry& g = f.g;
  const int64_t tap = j0 / g.C, c0 = j0 - tap * g.C;
  if (c0 + w > g.C) return false;
  const int64_t kh = tap / g.KW, kw = tap - kh * g.KW;
  const auto run = [&](auto width) {
    EachPosition(g, k0, kc, [&](int64_t k, int64_t b, int64_t oh, int64_t ow) {
      const int64_t ih = oh * g.sh - g.top + kh, iw = ow * g.sw - g.left + kw;
      float* o = out + k * width;
      if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) {
        std::memset(o, 0, static_cast<size_t>(width) * sizeof(float));
      } else {
        std::memcpy(o, f.x + ((b * g.H + ih) * g.W + iw) * g.C + c0, static_cast<size_t>(width) * sizeof(float));
      }
    });
  };
  if (w == 32) {
    run(std::integral_constant<int64_t, 32>{});
  } else {
    run(w);
  }
  return true;
}

// gemm::BlockSource's write for FieldsOfImages: rows [k0, k0 + kc) × columns [j0, j0 + w) of op(B), in B's layout.
// Either way each position's part of its field is one contiguous run of `out`.
inline void WriteFields(const void* ctx, bool tb, int64_t k0, int64_t kc, int64_t j0, int64_t w, float* out) {
  const FieldsOfImages& f = *static_cast<const FieldsOfImages*>(ctx);
  const int64_t field = f.g.WindowFloats();
  // whole fields (a narrow convolution's, gathered for the GEMM's left operand): by runs of positions
  if (tb && k0 == 0 && kc == field) return WholeFields(f.x, f.g, j0, w, out);
  if (!tb && j0 == 0 && w == field) return WholeFields(f.x, f.g, k0, kc, out);
  if (tb) {
    EachPosition(f.g, j0, w, [&](int64_t j, int64_t b, int64_t oh, int64_t ow) { FieldPart(f.x, f.g, b, oh, ow, k0, k0 + kc, out + j * kc); });
  } else if (!PixelRuns(f, k0, kc, j0, w, out)) {
    EachPosition(f.g, k0, kc, [&](int64_t k, int64_t b, int64_t oh, int64_t ow) { FieldPart(f.x, f.g, b, oh, ow, j0, j0 + w, out + k * w); });
  }
}

// Fold `rows` (the fields of images [b0, b1), image b0's first) back onto dx, adding where fields overlap (col2im),
// each element's terms in the order of the fields, in float32: the JavaScript fold's numbers, bit for bit.
inline void Fold(const float* __restrict rows, float* __restrict dx, const Geometry& g, int64_t b0, int64_t b1) {
  EachFieldRow(g, b0, b1, [&](int64_t o, int64_t skip, int64_t to, int64_t n) {
    const float* f = rows + o + skip;
    float* t = dx + to;
    for (int64_t i = 0; i < n; ++i) t[i] += f[i];
  });
}

// A max pool's gradient for images [b0, b1): each window's first strictly greater value from −∞ in its row-major
// order, per channel, receives the window's dy (a window of NaN or −∞ alone passes nothing back), as tfjs's cpu
// kernel routes it. Windows that overlap add in float64 and round once at the end (the cpu kernel's numbers);
// others write each gradient once. dx of those images is written whole (0 where nothing arrives).
inline void MaxPoolGrad(const float* __restrict x, const float* __restrict dy, float* __restrict dx, const Geometry& g, int64_t b0, int64_t b1) {
  const int64_t C = g.C, image = g.ImageFloats();
  const bool overlap = g.sh < g.KH || g.sw < g.KW;
  std::vector<float> best(static_cast<size_t>(C));
  std::vector<int64_t> at(static_cast<size_t>(C));
  std::vector<double> sums(overlap ? static_cast<size_t>(image) : 0);
  for (int64_t b = b0; b < b1; ++b) {
    const float* xb = x + b * image;
    float* dxb = dx + b * image;
    const float* g0 = dy + b * g.OutputFloats();
    if (overlap) std::fill(sums.begin(), sums.end(), 0.0);
    else std::memset(dxb, 0, static_cast<size_t>(image) * sizeof(float));
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const auto [r0, r1] = g.WindowRows(oh);
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const auto [c0, c1] = g.WindowCols(ow);
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(at.begin(), at.end(), int64_t{-1});
        for (int64_t r = r0; r < r1; ++r) {
          for (int64_t col = c0; col < c1; ++col) {
            const int64_t base = (r * g.W + col) * C;
            for (int64_t c = 0; c < C; ++c) {
              const float v = xb[base + c];
              if (v > best[c]) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const float* gw = g0 + (oh * g.OW + ow) * C;
        for (int64_t c = 0; c < C; ++c) {
          const int64_t i = at[c];
          if (i < 0) continue;
          if (overlap) sums[i] += static_cast<double>(gw[c]);
          else dxb[i] = gw[c] + 0.f;  // a −0 arrives as 0, as the cpu kernel's sum from 0 gives it
        }
      }
    }
    if (overlap) {
      for (int64_t i = 0; i < image; ++i) dxb[i] = static_cast<float>(sums[i]);
    }
  }
}

// A max pool of images [b0, b1): each window's first strictly greater value from −∞ in its row-major order, per
// channel (NaN passes over, and a window of NaN or −∞ alone gives −∞), as tfjs's cpu kernel takes it. A window's
// running maxima are its output row, each input row of channels compared into it in one vectorized pass.
inline void MaxPool(const float* __restrict x, float* __restrict y, const Geometry& g, int64_t b0, int64_t b1) {
  const int64_t C = g.C, image = g.ImageFloats();
  for (int64_t b = b0; b < b1; ++b) {
    const float* xb = x + b * image;
    float* yb = y + b * g.OutputFloats();
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const auto [r0, r1] = g.WindowRows(oh);
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const auto [c0, c1] = g.WindowCols(ow);
        float* __restrict out = yb + (oh * g.OW + ow) * C;
        std::fill(out, out + C, -std::numeric_limits<float>::infinity());
        for (int64_t r = r0; r < r1; ++r) {
          for (int64_t col = c0; col < c1; ++col) {
            const float* __restrict v = xb + (r * g.W + col) * C;
            for (int64_t c = 0; c < C; ++c) out[c] = v[c] > out[c] ? v[c] : out[c];
          }
        }
      }
    }
  }
}

}  // namespace fields
