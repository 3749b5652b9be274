#include "onnx/model_loader.h"

#include <algorithm>
#include <climits>

#include "onnx/model_parse.h"

namespace oqnn::onnx_import {

bool is_default_domain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx";
}

int64_t domain_opset(const ::onnx::ModelProto& model, const std::string& domain) {
  bool want_default = is_default_domain(domain);
  for (const auto& op : model.opset_import())
    if (want_default ? is_default_domain(op.domain()) : op.domain() == domain) return op.version();
  return 0;
}

Expected<LoadedModel> load_model(const std::string& path) {
  LoadedModel m;
  m.path = path;
  m.dir = dirname_of(path);
  m.proto = std::make_unique<::onnx::ModelProto>();
  m.file_location = basename_of(path);
  OQNN_ASSIGN_OR_RETURN(m.file, map_file(path));
  if (m.file->size() > static_cast<size_t>(INT_MAX))
    return bad_input(
        path + ": " + std::to_string(m.file->size()) + " bytes is over protobuf's 2 GiB limit",
        {"store the weights as ONNX external data "
         "(onnx.save_model(..., save_as_external_data=True))"});
  bool parsed =
      m.file->size() > 0 && parse_model(m.file->data(), m.file->size(), m.file_location, *m.proto);
  if (m.file->size() > 0) release_pages(m.file->data(), m.file->size());
  if (!parsed)
    return bad_input(path +
                     ": not a valid ONNX model (the protobuf data is malformed, "
                     "truncated or empty)");
  if (!m.proto->has_graph())
    return bad_input(path + ": not a valid ONNX model (it has no graph; is the file truncated?)");
  m.opset = domain_opset(*m.proto, "");
  if (m.opset == 0) {
    // Valid ONNX when every node is of another domain (ai.onnx.ml, training): unsupported.
    const auto& nodes = m.proto->graph().node();
    bool all_foreign =
        !nodes.empty() && std::none_of(nodes.begin(), nodes.end(),
                                       [](const auto& n) { return is_default_domain(n.domain()); });
    if (!all_foreign)
      return bad_input(path + ": the model imports no opset of the default ONNX domain");
    return unsupported(path + ": node '" + nodes[0].name() + "' (" + nodes[0].op_type() +
                       "): domain '" + nodes[0].domain() +
                       "' is not supported (only the default ONNX domain is)");
  }
  if (m.opset < kMinOpset || m.opset > kMaxOpset)
    return unsupported(
        path + ": opset " + std::to_string(m.opset) +
            " of the default ONNX domain is not supported (supported: " +
            std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ")",
        {"convert the model with onnx.version_converter.convert_version(model, 13)"});
  return m;
}

}  // namespace oqnn::onnx_import
