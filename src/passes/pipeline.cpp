// The pipelines, one list per --optimization_level:
//   low:    fold_constants, remove_dead, io_layout
//   medium: fold_constants, fuse_channel_shuffle, cancel_transposes, fold_batchnorm,
//           fuse_gelu, fuse_norms, fuse_activations, fold_constants, remove_dead, io_layout
//   high:   fold_constants, fuse_channel_shuffle, cancel_transposes, fold_transpose_into_fc,
//           fold_batchnorm, fuse_gelu, fuse_norms, fuse_activations, fold_constants,
//           remove_dead, io_layout
// fold_batchnorm is left out under --disable_batchnorm_folding. fuse_channel_shuffle runs
// before the layout passes rewrite the Reshape/Transpose/Reshape it looks for. io_layout
// always runs last. The second fold_constants catches what the layout and folding passes left
// static.
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "ir/printer.h"
#include "ir/verifier.h"
#include "passes/passes.h"
#include "support/files.h"

namespace oqnn::passes {
namespace {

bool known_level(const std::string& level) {
  return level == "low" || level == "medium" || level == "high";
}

// Names are how users, overrides and generated code find tensors: a pass must leave
// them non-empty and unique.
Status check_names(const ir::Graph& g) {
  std::set<std::string_view> seen;
  for (const auto& t : g.tensors) {
    if (t.name.empty()) return internal_error("graph '" + g.name + "' has a tensor without a name");
    if (!seen.insert(t.name).second)
      return internal_error("graph '" + g.name + "' has two tensors named '" + t.name + "'");
  }
  return Status::ok();
}

Status dump(const ir::Graph& g, const std::string& dir, size_t index, std::string_view pass) {
  std::string path = join_path(dir, fmt::format("{:02d}_{}.txt", index, pass));
  return write_text_atomic(path, ir::print_graph(g));
}

}  // namespace

std::vector<std::unique_ptr<Pass>> make_pipeline(const PipelineOptions& o) {
  std::vector<std::unique_ptr<Pass>> p;
  p.push_back(make_fold_constants());
  if (o.optimization_level != "low") {
    p.push_back(make_fuse_channel_shuffle());
    p.push_back(make_cancel_transposes());
    if (o.optimization_level == "high") p.push_back(make_fold_transpose_into_fc());
    if (!o.disable_batchnorm_folding) p.push_back(make_fold_batchnorm());
    p.push_back(make_fuse_gelu());
    p.push_back(make_fuse_norms());
    p.push_back(make_fuse_activations());
    p.push_back(make_fold_constants());
  }
  p.push_back(make_remove_dead());
  p.push_back(make_io_layout(o.preserve_io_layout));
  return p;
}

Status run_pipeline(ir::Graph& g, const PipelineOptions& o) {
  if (!known_level(o.optimization_level))
    return usage_error("unknown optimization level '" + o.optimization_level + "'",
                       {"use --optimization_level low, medium or high"});
  if (!o.debug_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.debug_dir, ec);
    if (ec) return bad_input(o.debug_dir + ": cannot create the debug folder: " + ec.message());
    OQNN_RETURN_IF_ERROR(dump(g, o.debug_dir, 0, "input"));
  }
  // The passes rely on a well-formed graph (perms are permutations, axes in range).
  Status valid = ir::verify(g);
  if (!valid.is_ok()) return valid;
  auto passes = make_pipeline(o);
  for (size_t i = 0; i < passes.size(); ++i) {
    Pass& pass = *passes[i];
    auto changed = pass.run(g);
    if (!changed) {
      Error e = changed.error();
      e.message = "pass " + std::string(pass.name()) + ": " + e.message;
      return e;
    }
    spdlog::debug("pass {}: {}", pass.name(), *changed ? "changed the graph" : "no change");
    Status ok = ir::verify(g);
    if (ok.is_ok()) ok = check_names(g);
    if (!ok.is_ok())
      return internal_error("pass " + std::string(pass.name()) +
                            " left an invalid graph: " + ok.error().message);
    if (!o.debug_dir.empty()) OQNN_RETURN_IF_ERROR(dump(g, o.debug_dir, i + 1, pass.name()));
  }
  return Status::ok();
}

}  // namespace oqnn::passes
