// The two-proportion z-test for the admin page's feedback rates. Hand-written (a dozen lines) because
// no statistics package is installed; the normal CDF uses the Abramowitz–Stegun 7.1.26 erf
// approximation (absolute error < 1.5e-7), plenty for a p-value shown to three digits.

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return sign * y;
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

export interface ZTest {
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/** H0: p1 = p2, with the pooled proportion; null when either sample is empty or the pool is degenerate. */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}
