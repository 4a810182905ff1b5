/*
 * Fused kernels of @transseg/vit3d compiled to WebAssembly SIMD (see build.sh): multi-head
 * attention, bias + GELU, LayerNorm and BatchNorm + ReLU, each forward and backward. Freestanding (no libc): the
 * memory is imported and managed by the caller (fused-module.ts); every pointer is a byte offset
 * into it. Float32 data and float32 arithmetic.
 */
typedef unsigned int u32;

#define EXPORT(name) __attribute__((export_name(#name)))

/* e^x for x <= 88: 2^k · e^r with |r| <= ln2/2, degree-6 Taylor polynomial (relative error ~1e-7). */
static inline float fexp(float x) {
  if (x < -87.0f) x = -87.0f;
  if (x > 88.0f) x = 88.0f;
  float kf = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - kf * 0.693359375f + kf * 2.12194440e-4f;
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
  union { u32 i; float f; } s;
  s.i = (u32)((int)kf + 127) << 23;
  return p * s.f;
}

/* erf by Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7) given e = exp(-x²). */
static inline float erf_with(float x, float e) {
  float a = __builtin_fabsf(x);
  float t = 1.0f / (1.0f + 0.3275911f * a);
  float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  float y = 1.0f - poly * e;
  return x < 0 ? -y : y;
}

#define INV_SQRT2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f

/* y = gelu(x + bias) over rows of width c; n elements. */
EXPORT(bias_gelu)
void bias_gelu(const float *restrict x, const float *restrict bias, float *restrict y, int n, int c) {
  for (int o = 0; o < n; o += c) {
    for (int j = 0; j < c; j++) {
      float z = x[o + j] + bias[j];
      float e = fexp(-0.5f * z * z);
      y[o + j] = 0.5f * z * (1.0f + erf_with(z * INV_SQRT2, e));
    }
  }
}

/* dx = dy · (Φ(z) + z φ(z)); dbias (c floats) = Σ_rows dx. */
EXPORT(bias_gelu_grad)
void bias_gelu_grad(const float *restrict dy, const float *restrict x, const float *restrict bias, float *restrict dx, float *restrict dbias, int n, int c) {
  for (int j = 0; j < c; j++) dbias[j] = 0;
  for (int o = 0; o < n; o += c) {
    for (int j = 0; j < c; j++) {
      float z = x[o + j] + bias[j];
      float e = fexp(-0.5f * z * z);
      float g = dy[o + j] * (0.5f * (1.0f + erf_with(z * INV_SQRT2, e)) + z * INV_SQRT_2PI * e);
      dx[o + j] = g;
      dbias[j] += g;
    }
  }
}

/*
 * Gathers q (scaled), k, v of batch item bi and head h from qkv [B, N, 3·h·hd] into contiguous
 * [N, hd] blocks.
 */
static void gather_head(const float *restrict qkv, float *restrict q, float *restrict k, float *restrict v, int n, int hd, int c, int bi, int h, float scale) {
  const float *base = qkv + (long)bi * n * 3 * c + h * hd;
  for (int i = 0; i < n; i++) {
    const float *row = base + (long)i * 3 * c;
    for (int e = 0; e < hd; e++) {
      q[i * hd + e] = row[e] * scale;
      k[i * hd + e] = row[c + e];
      v[i * hd + e] = row[2 * c + e];
    }
  }
}

/* p [N, N] = softmax rows of q kᵀ + bias[(i·N + j)·heads + h] (bias may be 0). */
static void probabilities(const float *restrict q, const float *restrict k, const float *restrict bias, float *restrict p, int n, int hd, int heads, int h) {
  for (int i = 0; i < n; i++) {
    float *pr = p + i * n;
    const float *qi = q + i * hd;
    float max = -3.0e38f;
    for (int j = 0; j < n; j++) {
      const float *kj = k + j * hd;
      float s = 0;
      for (int e = 0; e < hd; e++) s += qi[e] * kj[e];
      if (bias) s += bias[(i * n + j) * heads + h];
      pr[j] = s;
      if (s > max) max = s;
    }
    float sum = 0;
    for (int j = 0; j < n; j++) {
      float ev = fexp(pr[j] - max);
      pr[j] = ev;
      sum += ev;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < n; j++) pr[j] *= inv;
  }
}

/*
 * out [B, N, h·hd] = softmax(scale · q kᵀ + bias) v per batch item and head. scratch: 3·N·hd + N·N
 * floats.
 */
EXPORT(attention)
void attention(const float *restrict qkv, const float *restrict bias, float *restrict out, float *restrict scratch, int b, int n, int heads, int hd, float scale) {
  int c = heads * hd;
  float *q = scratch, *k = q + n * hd, *v = k + n * hd, *p = v + n * hd;
  for (int bi = 0; bi < b; bi++) {
    for (int h = 0; h < heads; h++) {
      gather_head(qkv, q, k, v, n, hd, c, bi, h, scale);
      probabilities(q, k, bias, p, n, hd, heads, h);
      for (int i = 0; i < n; i++) {
        float *o = out + ((long)bi * n + i) * c + h * hd;
        for (int e = 0; e < hd; e++) o[e] = 0;
        for (int j = 0; j < n; j++) {
          float pij = p[i * n + j];
          const float *vj = v + j * hd;
          for (int e = 0; e < hd; e++) o[e] += pij * vj[e];
        }
      }
    }
  }
}

/*
 * Gradient with P recomputed: dV = Pᵀ dO, dP = dO Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)),
 * dQ = scale · dS K, dK = scale · dSᵀ Q (Q unscaled), dbias (N·N·heads, if bias) = Σ_batch dS.
 * scratch: 6·N·hd + 2·N·N floats.
 */
EXPORT(attention_grad)
void attention_grad(const float *restrict dy, const float *restrict qkv, const float *restrict bias, float *restrict dqkv, float *restrict dbias, float *restrict scratch, int b, int n, int heads, int hd, float scale) {
  int c = heads * hd;
  float *q = scratch, *k = q + n * hd, *v = k + n * hd, *dq = v + n * hd, *dk = dq + n * hd, *dv = dk + n * hd, *p = dv + n * hd, *ds = p + n * n;
  if (dbias) for (int i = 0; i < n * n * heads; i++) dbias[i] = 0;
  for (int bi = 0; bi < b; bi++) {
    for (int h = 0; h < heads; h++) {
      gather_head(qkv, q, k, v, n, hd, c, bi, h, scale);
      probabilities(q, k, bias, p, n, hd, heads, h);
      for (int i = 0; i < n * hd; i++) dq[i] = dk[i] = dv[i] = 0;
      for (int i = 0; i < n; i++) {
        const float *g = dy + ((long)bi * n + i) * c + h * hd;
        float rowdot = 0;
        for (int j = 0; j < n; j++) {
          const float *vj = v + j * hd;
          float *dvj = dv + j * hd;
          float pij = p[i * n + j];
          float dp = 0;
          for (int e = 0; e < hd; e++) dp += g[e] * vj[e];
          for (int e = 0; e < hd; e++) dvj[e] += pij * g[e];
          ds[i * n + j] = dp;
          rowdot += dp * pij;
        }
        for (int j = 0; j < n; j++) ds[i * n + j] = p[i * n + j] * (ds[i * n + j] - rowdot);
      }
      /* q holds scale·Q: dK = dSᵀ (scale·Q); dQ = scale · dS K. */
      for (int i = 0; i < n; i++) {
        float *dqi = dq + i * hd;
        const float *qi = q + i * hd;
        for (int j = 0; j < n; j++) {
          float s = ds[i * n + j];
          const float *kj = k + j * hd;
          float *dkj = dk + j * hd;
          for (int e = 0; e < hd; e++) dqi[e] += s * kj[e];
          for (int e = 0; e < hd; e++) dkj[e] += s * qi[e];
          if (dbias) dbias[(i * n + j) * heads + h] += s;
        }
      }
      float *base = dqkv + (long)bi * n * 3 * c + h * hd;
      for (int i = 0; i < n; i++) {
        float *row = base + (long)i * 3 * c;
        for (int e = 0; e < hd; e++) {
          row[e] = dq[i * hd + e] * scale;
          row[c + e] = dk[i * hd + e];
          row[2 * c + e] = dv[i * hd + e];
        }
      }
    }
  }
}

/* Mean and 1/sqrt(variance + eps) (biased, two passes) of a row of width c. */
static inline void row_stats(const float *restrict x, int c, float eps, float *mean, float *rstd) {
  float sum = 0;
  for (int i = 0; i < c; i++) sum += x[i];
  float m = sum / c;
  float sq = 0;
  for (int i = 0; i < c; i++) {
    float d = x[i] - m;
    sq += d * d;
  }
  *mean = m;
  *rstd = 1.0f / __builtin_sqrtf(sq / c + eps);
}

/* y = (x − mean) · rstd · gamma + beta per row of width c; rows rows. */
EXPORT(layer_norm)
void layer_norm(const float *restrict x, const float *restrict gamma, const float *restrict beta, float *restrict y, int rows, int c, float eps) {
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * c;
    float *yr = y + (long)r * c;
    float mean, rstd;
    row_stats(xr, c, eps, &mean, &rstd);
    for (int i = 0; i < c; i++) yr[i] = (xr[i] - mean) * rstd * gamma[i] + beta[i];
  }
}

/*
 * x̂ = (x − mean)·rstd, g = dy·gamma: dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)),
 * dgamma = Σ_rows dy · x̂, dbeta = Σ_rows dy (statistics recomputed from x).
 */
EXPORT(layer_norm_grad)
void layer_norm_grad(const float *restrict dy, const float *restrict x, const float *restrict gamma, float *restrict dx, float *restrict dgamma, float *restrict dbeta, int rows, int c, float eps) {
  for (int i = 0; i < c; i++) dgamma[i] = dbeta[i] = 0;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (long)r * c, *dyr = dy + (long)r * c;
    float *dxr = dx + (long)r * c;
    float mean, rstd;
    row_stats(xr, c, eps, &mean, &rstd);
    float sg = 0, sgx = 0;
    for (int i = 0; i < c; i++) {
      float xh = (xr[i] - mean) * rstd;
      float g = dyr[i] * gamma[i];
      sg += g;
      sgx += g * xh;
      dgamma[i] += dyr[i] * xh;
      dbeta[i] += dyr[i];
    }
    float mg = sg / c, mgx = sgx / c;
    for (int i = 0; i < c; i++) dxr[i] = rstd * (dyr[i] * gamma[i] - mg - (xr[i] - mean) * rstd * mgx);
  }
}

/*
 * BatchNorm + ReLU over the channels (last axis) of x [m, c] (NHWC: m = N·H·W rows), per channel
 * j: z = (x − mean[j]) · scale[j] + beta[j], scale = gamma · rstd, rstd = 1/√(var + eps). The
 * forward and the backward compute z (and so the ReLU mask z > 0) with the same code.
 */
static inline void bn_scale(const float *restrict gamma, const float *restrict var, float *restrict rstd, float *restrict scale, int c, float eps) {
  for (int j = 0; j < c; j++) {
    rstd[j] = 1.0f / __builtin_sqrtf(var[j] + eps);
    scale[j] = gamma[j] * rstd[j];
  }
}

static inline float bn_z(float x, float mean, float scale, float beta) { return (x - mean) * scale + beta; }

/*
 * y = relu(z). training != 0: mean and var (c floats each) receive the batch mean and biased
 * variance (two passes, double accumulators); else they hold the running statistics on entry.
 * scratch: 4·c floats (c doubles, then rstd and scale).
 */
EXPORT(batch_norm_relu)
void batch_norm_relu(const float *restrict x, const float *restrict gamma, const float *restrict beta, float *restrict mean, float *restrict var, float *restrict y, float *restrict scratch, int m, int c, float eps, int training) {
  double *acc = (double *)scratch;
  float *rstd = scratch + 2 * c, *scale = rstd + c;
  if (training) {
    for (int j = 0; j < c; j++) acc[j] = 0;
    for (long o = 0; o < (long)m * c; o += c)
      for (int j = 0; j < c; j++) acc[j] += x[o + j];
    for (int j = 0; j < c; j++) mean[j] = m > 0 ? (float)(acc[j] / m) : 0.0f;
    for (int j = 0; j < c; j++) acc[j] = 0;
    for (long o = 0; o < (long)m * c; o += c)
      for (int j = 0; j < c; j++) {
        float d = x[o + j] - mean[j];
        acc[j] += (double)(d * d);
      }
    for (int j = 0; j < c; j++) var[j] = m > 0 ? (float)(acc[j] / m) : 0.0f;
  }
  bn_scale(gamma, var, rstd, scale, c, eps);
  for (long o = 0; o < (long)m * c; o += c)
    for (int j = 0; j < c; j++) {
      float z = bn_z(x[o + j], mean[j], scale[j], beta[j]);
      y[o + j] = z > 0 ? z : 0.0f;
    }
}

/*
 * Gradient of batch_norm_relu given the mean and var it used: g = dy · [z > 0], d = x − mean,
 * dbeta = Σ g, dgamma = rstd · Σ g·d; dx = scale · (g − dbeta/m − d · rstd · dgamma/m) in training
 * (batch statistics), dx = scale · g with running statistics. scratch: 8·c floats.
 */
EXPORT(batch_norm_relu_grad)
void batch_norm_relu_grad(const float *restrict dy, const float *restrict x, const float *restrict gamma, const float *restrict beta, const float *restrict mean, const float *restrict var, float *restrict dx, float *restrict dgamma, float *restrict dbeta, float *restrict scratch, int m, int c, float eps, int training) {
  double *sg = (double *)scratch, *sgd = sg + c;
  float *rstd = scratch + 4 * c, *scale = rstd + c, *k1 = scale + c, *k2 = k1 + c;
  bn_scale(gamma, var, rstd, scale, c, eps);
  for (int j = 0; j < c; j++) sg[j] = sgd[j] = 0;
  for (long o = 0; o < (long)m * c; o += c)
    for (int j = 0; j < c; j++) {
      float xv = x[o + j];
      float g = bn_z(xv, mean[j], scale[j], beta[j]) > 0 ? dy[o + j] : 0.0f;
      dx[o + j] = g;
      sg[j] += g;
      sgd[j] += (double)(g * (xv - mean[j]));
    }
  for (int j = 0; j < c; j++) {
    dbeta[j] = (float)sg[j];
    dgamma[j] = (float)(sgd[j] * rstd[j]);
  }
  if (!training) {
    for (long o = 0; o < (long)m * c; o += c)
      for (int j = 0; j < c; j++) dx[o + j] *= scale[j];
    return;
  }
  for (int j = 0; j < c; j++) {
    k1[j] = (float)(sg[j] / m);
    k2[j] = (float)(sgd[j] * rstd[j] * rstd[j] / m);
  }
  for (long o = 0; o < (long)m * c; o += c)
    for (int j = 0; j < c; j++) dx[o + j] = scale[j] * (dx[o + j] - k1[j] - (x[o + j] - mean[j]) * k2[j]);
}
