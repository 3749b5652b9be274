// The OqnnModelApi a model library composes its graph through. Every callback validates
// what it is given (names, kinds, dtypes, dims, encodings, weights members, node inputs)
// and records the first error with the tensor or node it concerns; the library only sees
// a non-zero return. Static data points into the weights archive (zero copy).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "oqnn/model_api.h"
#include "support/status.h"

namespace oqnn::rt {

class GraphBuilder {
 public:
  using Members = std::map<std::string, std::pair<uint64_t, uint64_t>>;
  // `archive` stays valid while `keeper` lives; `origin` names the library in errors.
  GraphBuilder(std::span<const std::byte> archive, Members members, std::shared_ptr<void> keeper,
               std::string origin);

  const OqnnModelApi* api() const { return &api_; }
  // The composed graph, or the first error; `rc` is what composeGraphs returned.
  Expected<ir::Graph> finish(int rc);

  Status create_graph(const char* name);
  Status add_tensor(const OqnnTensorDesc* d);
  Status add_node(const OqnnNodeDesc* d);
  Status set_attribute(const char* key, const char* value);

 private:
  Error fail(const std::string& what) const;
  Expected<ir::Shape> read_dims(const OqnnTensorDesc& d, const std::string& name) const;
  Expected<ir::Encoding> read_encoding(const OqnnEncoding& e, const ir::Shape& shape,
                                       const std::string& name) const;
  Status attach_data(ir::Tensor& t, const char* member);
  Expected<ir::Params> read_params(const OqnnNodeDesc& d, const std::string& node) const;

  std::span<const std::byte> archive_;
  Members members_;
  std::shared_ptr<void> keeper_;
  std::string origin_;
  OqnnModelApi api_{};
  bool created_ = false;
  ir::Graph graph_;
  std::vector<bool> produced_;
  std::set<std::string> node_names_;
  std::optional<Error> error_;
  friend struct Callbacks;
};

}  // namespace oqnn::rt
