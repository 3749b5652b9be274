#include "codegen/emit.h"

#include <exception>

#include "codegen/c_literals.h"
#include "codegen/cpp_source.h"
#include "codegen/emit_plan.h"
#include "codegen/net_json.h"
#include "codegen/ustar_writer.h"

namespace oqnn::codegen {
namespace {

// X.cpp -> X.bin / X_net.json beside it.
std::string sibling(const std::string& cpp_path, const std::string& suffix) {
  std::string stem = stem_of(cpp_path);
  std::string dir = dirname_of(cpp_path);
  return cpp_path.find('/') == std::string::npos ? stem + suffix : join_path(dir, stem + suffix);
}

Status write_weights(const ir::Graph& g, const EmitPlan& p, AtomicFile& out) {
  OQNN_RETURN_IF_ERROR(out.open());
  UstarWriter tar(out);
  for (ir::TensorId t : p.statics)
    OQNN_RETURN_IF_ERROR(tar.add(p.member[static_cast<size_t>(t)], g.tensor(t).data->span()));
  return tar.finish();
}

Expected<EmittedFiles> emit(const ir::Graph& g, const EmitOptions& o) {
  if (!is_c_identifier(o.model_prefix))
    return usage_error("model prefix '" + o.model_prefix + "' is not a C identifier");
  if (o.cpp_path.empty()) return usage_error("no output path for the model source");
  OQNN_ASSIGN_OR_RETURN(EmitPlan plan, plan_emit(g, o.exclude_named_tensors));

  // X.bin is written even without static tensors (an empty archive), so the scripts that
  // always pass `-b X.bin` to qnn-model-lib-generator work for every model.
  EmittedFiles files{o.cpp_path, sibling(o.cpp_path, ".bin"), sibling(o.cpp_path, "_net.json")};
  std::string cpp = model_cpp_source(g, plan, o, stem_of(o.cpp_path), basename_of(files.bin));
  OQNN_ASSIGN_OR_RETURN(std::string json, net_json_text(g, plan, o, files.bin));

  // Everything goes to temp files first and is renamed into place only once all three are
  // complete, so a failure leaves no mixture of old and new outputs.
  AtomicFile bin(files.bin), src(files.cpp), net(files.net_json);
  OQNN_RETURN_IF_ERROR(write_weights(g, plan, bin));
  OQNN_RETURN_IF_ERROR(src.open());
  OQNN_RETURN_IF_ERROR(src.write(cpp.data(), cpp.size()));
  OQNN_RETURN_IF_ERROR(net.open());
  OQNN_RETURN_IF_ERROR(net.write(json.data(), json.size()));
  OQNN_RETURN_IF_ERROR(bin.commit());
  OQNN_RETURN_IF_ERROR(src.commit());
  OQNN_RETURN_IF_ERROR(net.commit());
  return files;
}

}  // namespace

Expected<EmittedFiles> emit_model(const ir::Graph& g, const EmitOptions& o) {
  try {
    return emit(g, o);
  } catch (const std::exception& e) {
    return internal_error(o.cpp_path + ": emitting the model failed: " + e.what());
  }
}

}  // namespace oqnn::codegen
