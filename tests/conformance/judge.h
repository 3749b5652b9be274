// How an output is judged against the node test's expected values, per backend
// (docs/conformance.md says why each bar is where it is):
//   cpu (float32):             max|out - ref| <= 1e-4 * max(1, max|ref|)
//   gpu (fp16 intermediates):  max|out - ref| <= 1e-2 * max(1, max|ref|)
//   htp (8-bit fixed point):   SQNR(ref, out) >= 30 dB, and
//                              max|out - ref| <= 4 steps of an 8-bit encoding over
//                              ref's range widened to hold 0 (as the tf scheme does)
// SQNR alone would let a few wrong elements of a large output through; the step bound
// catches them. NaN matches NaN and an infinity matches the same infinity (cpu, gpu);
// fixed point holds neither, so an htp reference with one fails.
#pragma once

#include <span>
#include <string>

namespace oqnn::conformance {

struct Tolerance {
  enum class Kind { kRelativeMaxAbs, kSqnr } kind = Kind::kRelativeMaxAbs;
  double bar = 1e-4;     // relative error ceiling, or SQNR floor in dB
  double max_steps = 0;  // kSqnr: largest error, in 1/255ths of the reference's range
};

Tolerance tolerance_for(const std::string& backend);

struct Verdict {
  bool pass = false;
  double score = 0;    // the relative error, or the SQNR in dB
  std::string detail;  // e.g. "rel err 3.1e-03 > 1e-04 (max abs 3.1e-03 at 17)"
};

Verdict judge(std::span<const float> out, std::span<const float> ref, const Tolerance& tol);

}  // namespace oqnn::conformance
