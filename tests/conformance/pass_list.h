// tests/conformance/expected_passes.txt: every node test that passes on some backend, with
// those backends ("test_add  cpu gpu htp"). The failure lists cannot see a test that
// passed and is now refused as unsupported (an importer or capability regression that
// quietly shrinks what is tested); this list does. A test now passing where it is not
// listed makes the list stale, as with the failure lists.
#pragma once

#include <map>
#include <set>
#include <string>

#include "expectations.h"

namespace oqnn::conformance {

using PassList = std::map<std::string, std::set<std::string>>;  // test -> backends

// One backend's results, as the pass list needs them.
struct PassOutcomes {
  std::set<std::string> passing;
  std::map<std::string, std::string> unsupported;  // test -> why
};
using PassRuns = std::map<std::string, PassOutcomes>;  // backend -> results (backends that ran)

Expected<PassList> read_pass_list(const std::string& path);
Status write_pass_list(const std::string& path, const PassList& list);

// Regressions: listed as passing on a backend, now unsupported there (a failure or error
// is reported by that backend's failure list). Stale: passing but not listed, or a name
// that is no node test.
ListDiff diff_passes(const PassList& listed, const PassRuns& runs, const std::set<std::string>& ran,
                     const std::set<std::string>& known);

// `listed` with what the backends in `runs` did on the tests that ran replaced by this run.
PassList updated_passes(const PassList& listed, const PassRuns& runs,
                        const std::set<std::string>& ran, const std::set<std::string>& known);

}  // namespace oqnn::conformance
