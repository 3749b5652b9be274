// Node parameters: a sorted name → value map, so that iteration (printing, codegen,
// serialization) is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace oqnn::ir {

using ParamValue =
    std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>>;

class Params {
 public:
  void set(const std::string& name, ParamValue v) { values_[name] = std::move(v); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void erase(const std::string& name) { values_.erase(name); }
  const std::map<std::string, ParamValue>& all() const { return values_; }

  int64_t get_int(const std::string& name, int64_t def = 0) const;
  double get_float(const std::string& name, double def = 0.0) const;
  std::string get_string(const std::string& name, const std::string& def = "") const;
  std::vector<int64_t> get_ints(const std::string& name, std::vector<int64_t> def = {}) const;
  std::vector<double> get_floats(const std::string& name, std::vector<double> def = {}) const;
  bool operator==(const Params&) const = default;

 private:
  std::map<std::string, ParamValue> values_;
};

std::string param_str(const ParamValue& v);

}  // namespace oqnn::ir
