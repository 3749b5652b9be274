#include "conformance_run.h"

#include <regex.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "expectations.h"
#include "pass_list.h"
#include "run_backend.h"
#include "support/files.h"

namespace oqnn::conformance {
namespace {

// A private folder for frozen models, removed with everything in it at the end.
class TempDir {
 public:
  static Expected<TempDir> make(const std::string& prefix) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + ".XXXXXX";
    if (!mkdtemp(pattern.data())) return internal_error("cannot create a folder like " + pattern);
    return TempDir(pattern);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// --filter: a compiled POSIX extended regex (std::regex trips GCC 12's warnings under ASan).
class NameFilter {
 public:
  static Expected<std::unique_ptr<NameFilter>> make(const std::string& pattern) {
    auto f = std::unique_ptr<NameFilter>(new NameFilter());
    if (pattern.empty()) return f;
    if (regcomp(&f->re_, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
      return usage_error("--filter '" + pattern + "' is not a valid extended regex");
    f->active_ = true;
    return f;
  }
  ~NameFilter() {
    if (active_) regfree(&re_);
  }
  bool matches(const std::string& name) const {
    return !active_ || regexec(&re_, name.c_str(), 0, nullptr, 0) == 0;
  }

 private:
  NameFilter() = default;
  regex_t re_{};
  bool active_ = false;
};

// One column of results: a backend on its own ("gpu"), or with CPU fallback ("gpu+cpu":
// the nodes it does not run natively on the cpu backend, as the commands run them).
struct BackendRun {
  std::string name;
  std::string base;                      // the backend loaded: name without "+cpu"
  bool fallback = false;                 // name ends in "+cpu"
  std::shared_ptr<rt::Backend> backend;  // null when skipped; shared by "X" and "X+cpu"
  std::string skipped;                   // why
  std::map<std::string, Outcome> outcomes;
  double seconds = 0;
};

Expected<std::vector<BackendRun>> load_backends(const std::vector<std::string>& names) {
  std::vector<BackendRun> runs;
  std::map<std::string, BackendRun*> loaded;  // by base name
  runs.reserve(names.size());
  for (const auto& name : names) {
    BackendRun r;
    r.name = name;
    r.fallback = is_fallback_run(name);
    r.base = r.fallback ? name.substr(0, name.size() - 4) : name;
    if (auto it = loaded.find(r.base); it != loaded.end()) {
      r.backend = it->second->backend;
      r.skipped = it->second->skipped;
    } else {
      auto b = rt::Backend::load(r.base, "{}");
      if (b)
        r.backend = std::make_shared<rt::Backend>(std::move(*b));
      else if (r.base == "gpu" && b.error().code == ErrorCode::kUnsupported)
        r.skipped = b.error().message;  // no OpenCL device on this machine
      else
        return b.error();
    }
    runs.push_back(std::move(r));
    loaded.emplace(runs.back().base, &runs.back());
  }
  return runs;
}

// The native run of the same backend in `runs`, if it ran `test` already.
const Outcome* native_outcome(const std::vector<BackendRun>& runs, const BackendRun& r,
                              const std::string& test) {
  for (const BackendRun& n : runs)
    if (!n.fallback && n.name == r.base) {
      auto it = n.outcomes.find(test);
      return it == n.outcomes.end() ? nullptr : &it->second;
    }
  return nullptr;
}

// Converts the test (with its inputs frozen when the converter refuses it as it is, see
// freeze.h) and reads its data; an Error says why no backend can run it.
Status prepare_all(NodeTest& t, const std::string& tmp_dir, PreparedTest& p,
                   std::vector<DataSet>& sets) {
  OQNN_RETURN_IF_ERROR(read_io_names(t));
  auto data = read_data_sets(t);
  if (!data) return data.error();
  sets = std::move(*data);
  auto prepared = prepare_test(t, sets[0], t.model_path, {});
  if (!prepared && prepared.error().code == ErrorCode::kUnsupported && can_freeze(t, sets.size())) {
    auto frozen = freeze_inputs(t, tmp_dir);
    if (!frozen) return frozen.error();
    auto retry = prepare_test(t, sets[0], frozen->path(), frozen->frozen());
    // Still unsupported: the first refusal is the one a user of the model meets.
    if (retry || retry.error().code != ErrorCode::kUnsupported) prepared = std::move(retry);
    if (prepared) prepared->frozen = std::move(*frozen);
  }
  if (!prepared) return prepared.error();
  p = std::move(*prepared);
  return check_data(p, sets);
}

// Messages name files relative to the node-test folder (or the frozen-model folder), so
// that the lists read the same on every machine.
std::string without_prefix(std::string message, const std::string& dir) {
  const std::string prefix = dir + "/";
  for (size_t at; (at = message.find(prefix)) != std::string::npos;)
    message.erase(at, prefix.size());
  return message;
}

std::string frozen_note(const PreparedTest& p) {
  std::string names;
  for (const auto& n : p.frozen.frozen()) names += (names.empty() ? "" : ",") + n;
  return names.empty() ? "" : "[frozen " + names + "] ";
}

void run_test(NodeTest& t, const std::string& data_dir, const std::string& tmp_dir,
              std::vector<BackendRun>& runs, bool verbose) {
  PreparedTest p;
  std::vector<DataSet> sets;
  Status ready = prepare_all(t, tmp_dir, p, sets);
  for (BackendRun& r : runs) {
    if (!r.backend) continue;
    auto t0 = std::chrono::steady_clock::now();
    // With fallback, a graph the backend runs whole is the native plan: its outcome stands.
    const Outcome* native = r.fallback ? native_outcome(runs, r, t.name) : nullptr;
    Outcome out;
    if (!ready)
      out = outcome_of(ready.error());
    else if (native && native->result != Result::kUnsupported)
      out = *native;
    else
      out = run_on_backend(*r.backend, r.base, p, sets, r.fallback);
    if (!native || native->result == Result::kUnsupported)
      out.message = frozen_note(p) + without_prefix(without_prefix(out.message, data_dir), tmp_dir);
    r.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (verbose)
      std::printf("%-11s %s %s: %s\n", result_name(out.result), r.name.c_str(), t.name.c_str(),
                  out.message.c_str());
    r.outcomes[t.name] = std::move(out);
  }
}

void print_rates(const BackendRun& r, size_t total) {
  if (!r.backend) {
    std::printf("%s: skipped (%s)\n", r.name.c_str(), r.skipped.c_str());
    return;
  }
  std::map<Result, size_t> n;
  for (const auto& [name, out] : r.outcomes) ++n[out.result];
  size_t supported = n[Result::kPass] + n[Result::kFail] + n[Result::kError];
  auto pct = [](size_t a, size_t b) { return b ? 100.0 * static_cast<double>(a) / b : 0.0; };
  std::printf(
      "%s: %zu pass, %zu fail, %zu error, %zu unsupported; pass rate %zu/%zu supported "
      "(%.1f%%), %zu/%zu total (%.1f%%); %.1f s\n",
      r.name.c_str(), n[Result::kPass], n[Result::kFail], n[Result::kError],
      n[Result::kUnsupported], n[Result::kPass], supported, pct(n[Result::kPass], supported),
      n[Result::kPass], total, pct(n[Result::kPass], total), r.seconds);
}

// Checks (or with `update` rewrites) one backend's list; false when they disagree.
Expected<bool> check_list(const BackendRun& r, const RunOptions& o,
                          const std::set<std::string>& ran, const std::set<std::string>& known) {
  std::string path = o.lists_dir + "/expected_failures_" + r.name + ".txt";
  FailureList failing;
  for (const auto& [name, out] : r.outcomes)
    if (out.result == Result::kFail || out.result == Result::kError)
      failing[name] = std::string(result_name(out.result)) + ": " + out.message;
  FailureList listed;
  if (!o.update || file_exists(path)) {
    OQNN_ASSIGN_OR_RETURN(listed, read_failure_list(path));
  }
  if (o.update) {
    FailureList next = updated_list(listed, failing, ran, known);
    OQNN_RETURN_IF_ERROR(write_failure_list(path, r.name, next));
    std::printf("%s: wrote %s (%zu tests)\n", r.name.c_str(), path.c_str(), next.size());
    return true;
  }
  ListDiff d = diff_failures(listed, failing, ran, known);
  for (const auto& s : d.regressions) std::printf("REGRESSION %s %s\n", r.name.c_str(), s.c_str());
  for (const auto& s : d.stale) std::printf("STALE LIST %s %s\n", r.name.c_str(), s.c_str());
  if (!d.regressions.empty() || !d.stale.empty())
    std::printf(
        "%s: %s disagrees with this run; fix the regression, or if the change is "
        "intended run scripts/update_conformance.py\n",
        r.name.c_str(), path.c_str());
  return d.regressions.empty() && d.stale.empty();
}

// The same for expected_passes.txt, over every backend that ran.
Expected<bool> check_pass_list(const std::vector<BackendRun>& runs, const RunOptions& o,
                               const std::set<std::string>& ran,
                               const std::set<std::string>& known) {
  std::string path = o.lists_dir + "/expected_passes.txt";
  PassRuns results;
  for (const BackendRun& r : runs) {
    if (!r.backend) continue;
    PassOutcomes& po = results[r.name];
    for (const auto& [name, out] : r.outcomes) {
      if (out.result == Result::kPass) po.passing.insert(name);
      if (out.result == Result::kUnsupported) po.unsupported[name] = out.message;
    }
  }
  PassList listed;
  if (!o.update || file_exists(path)) {
    OQNN_ASSIGN_OR_RETURN(listed, read_pass_list(path));
  }
  if (o.update) {
    PassList next = updated_passes(listed, results, ran, known);
    OQNN_RETURN_IF_ERROR(write_pass_list(path, next));
    std::printf("wrote %s (%zu tests)\n", path.c_str(), next.size());
    return true;
  }
  ListDiff d = diff_passes(listed, results, ran, known);
  for (const auto& s : d.regressions) std::printf("REGRESSION %s\n", s.c_str());
  for (const auto& s : d.stale) std::printf("STALE LIST %s\n", s.c_str());
  if (!d.regressions.empty() || !d.stale.empty())
    std::printf(
        "%s disagrees with this run; fix the regression, or if the change is intended run "
        "scripts/update_conformance.py\n",
        path.c_str());
  return d.regressions.empty() && d.stale.empty();
}

Status write_report(const std::string& path, const std::vector<BackendRun>& runs) {
  std::string text = "test\tbackend\tresult\tscore\tmessage\n";
  for (const BackendRun& r : runs)
    for (const auto& [name, out] : r.outcomes) {
      char score[32];
      std::snprintf(score, sizeof(score), "%.4g", out.score);
      text += name + "\t" + r.name + "\t" + result_name(out.result) + "\t" + score + "\t" +
              out.message + "\n";
    }
  return write_text_atomic(path, text);
}

}  // namespace

Expected<bool> run_conformance(const RunOptions& o) {
  OQNN_ASSIGN_OR_RETURN(auto filter, NameFilter::make(o.filter));
  std::string data_dir = std::filesystem::path(o.data_dir).lexically_normal().string();
  if (data_dir.size() > 1 && data_dir.back() == '/') data_dir.pop_back();
  OQNN_ASSIGN_OR_RETURN(std::vector<NodeTest> tests, list_node_tests(data_dir));
  OQNN_ASSIGN_OR_RETURN(std::vector<BackendRun> runs, load_backends(o.backends));
  OQNN_ASSIGN_OR_RETURN(TempDir tmp, TempDir::make("oqnn-conformance"));
  std::set<std::string> known, ran;
  for (NodeTest& t : tests) {
    known.insert(t.name);
    if (!filter->matches(t.name)) continue;
    ran.insert(t.name);
    run_test(t, data_dir, tmp.path(), runs, o.verbose);
  }
  if (!o.report_path.empty()) OQNN_RETURN_IF_ERROR(write_report(o.report_path, runs));
  bool agree = true;
  for (const BackendRun& r : runs) {
    if (!r.backend) continue;
    OQNN_ASSIGN_OR_RETURN(bool ok, check_list(r, o, ran, known));
    agree = agree && ok;
  }
  OQNN_ASSIGN_OR_RETURN(bool passes_ok, check_pass_list(runs, o, ran, known));
  agree = agree && passes_ok;
  std::printf("conformance: %zu of %zu ONNX node tests run\n", ran.size(), known.size());
  for (const BackendRun& r : runs) print_rates(r, ran.size());
  return agree;
}

}  // namespace oqnn::conformance
