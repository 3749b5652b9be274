#include "judge.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace oqnn::conformance {
namespace {

// Error of one element, with NaN == NaN and inf == the same inf.
double element_error(float o, float r) {
  if (std::isnan(r) || std::isnan(o)) return std::isnan(r) && std::isnan(o) ? 0.0 : INFINITY;
  if (std::isinf(r) || std::isinf(o)) return o == r ? 0.0 : INFINITY;
  return std::fabs(static_cast<double>(o) - static_cast<double>(r));
}

Verdict judge_relative(std::span<const float> out, std::span<const float> ref, double bar) {
  double max_err = 0, max_ref = 0;
  size_t worst = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    double e = element_error(out[i], ref[i]);
    if (e > max_err) max_err = e, worst = i;
    if (std::isfinite(ref[i])) max_ref = std::max(max_ref, std::fabs(static_cast<double>(ref[i])));
  }
  Verdict v;
  v.score = max_err / std::max(1.0, max_ref);
  v.pass = v.score <= bar;
  v.detail = fmt::format("rel err {:.2e} vs bar {:.0e} (max abs err {:.2e} at element {}", v.score,
                         bar, max_err, worst);
  if (!ref.empty()) v.detail += fmt::format(": got {:.6g}, want {:.6g}", out[worst], ref[worst]);
  v.detail += ")";
  return v;
}

Verdict judge_sqnr(std::span<const float> out, std::span<const float> ref, const Tolerance& tol) {
  double signal = 0, noise = 0, max_err = 0, lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (!std::isfinite(ref[i]))
      return {false, -INFINITY, "the reference holds inf or NaN, which fixed point cannot hold"};
    double d = static_cast<double>(out[i]) - static_cast<double>(ref[i]);
    signal += static_cast<double>(ref[i]) * ref[i];
    noise += std::isfinite(out[i]) ? d * d : INFINITY;
    max_err = std::max(max_err, std::fabs(d));
    lo = std::min(lo, static_cast<double>(ref[i]));
    hi = std::max(hi, static_cast<double>(ref[i]));
  }
  Verdict v;
  if (noise == 0)
    v.score = INFINITY;
  else if (signal == 0)
    v.score = -INFINITY;
  else
    v.score = 10.0 * std::log10(signal / noise);
  // Steps of an 8-bit encoding over the reference's range, widened to hold zero as the
  // tf scheme does.
  double range = std::max(hi, 0.0) - std::min(lo, 0.0);
  double steps = max_err == 0 ? 0 : range > 0 ? 255 * max_err / range : INFINITY;
  v.pass = v.score >= tol.bar && steps <= tol.max_steps;
  v.detail =
      fmt::format("SQNR {:.1f} dB vs floor {:.0f} dB, max abs err {:.3g} = {:.2f} steps vs {:.0f}",
                  v.score, tol.bar, max_err, steps, tol.max_steps);
  return v;
}

}  // namespace

Tolerance tolerance_for(const std::string& backend) {
  if (backend == "htp") return {Tolerance::Kind::kSqnr, 30.0, 4.0};
  if (backend == "gpu") return {Tolerance::Kind::kRelativeMaxAbs, 1e-2, 0};
  return {Tolerance::Kind::kRelativeMaxAbs, 1e-4, 0};
}

Verdict judge(std::span<const float> out, std::span<const float> ref, const Tolerance& tol) {
  if (out.size() != ref.size())
    return {false, std::numeric_limits<double>::infinity(),
            std::to_string(out.size()) + " values, want " + std::to_string(ref.size())};
  return tol.kind == Tolerance::Kind::kSqnr ? judge_sqnr(out, ref, tol)
                                            : judge_relative(out, ref, tol.bar);
}

}  // namespace oqnn::conformance
