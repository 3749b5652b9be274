// Errors as values. Every library function that can fail returns Status or Expected<T>;
// only tools/ turns an Error into an exit code (DESIGN §7: 1 bad input, 2 usage,
// 3 unsupported, 4 internal).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace oqnn {

enum class ErrorCode : int { kOk = 0, kBadInput = 1, kUsage = 2, kUnsupported = 3, kInternal = 4 };

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;             // one line: names the file, node or tensor
  std::vector<std::string> hints;  // printed after the message, one per line
};

class Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)), ok_(false) {}  // NOLINT: implicit by design
  static Status ok() { return Status(); }
  bool is_ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error&& take_error() { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}                      // NOLINT
  Expected(Error e) : v_(std::move(e)) {}                          // NOLINT
  Expected(Status s) : v_(s.take_error()) { assert(!s.is_ok()); }  // NOLINT
  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return has_value() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(ErrorCode code, std::string message, std::vector<std::string> hints = {}) {
  return Error{code, std::move(message), std::move(hints)};
}
inline Error bad_input(std::string m, std::vector<std::string> h = {}) {
  return make_error(ErrorCode::kBadInput, std::move(m), std::move(h));
}
inline Error usage_error(std::string m, std::vector<std::string> h = {}) {
  return make_error(ErrorCode::kUsage, std::move(m), std::move(h));
}
inline Error unsupported(std::string m, std::vector<std::string> h = {}) {
  return make_error(ErrorCode::kUnsupported, std::move(m), std::move(h));
}
inline Error internal_error(std::string m, std::vector<std::string> h = {}) {
  return make_error(ErrorCode::kInternal, std::move(m), std::move(h));
}

}  // namespace oqnn

#define OQNN_RETURN_IF_ERROR(expr)             \
  do {                                         \
    ::oqnn::Status _st = (expr);               \
    if (!_st.is_ok()) return _st.take_error(); \
  } while (0)

#define OQNN_CONCAT_INNER(a, b) a##b
#define OQNN_CONCAT(a, b) OQNN_CONCAT_INNER(a, b)
#define OQNN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.has_value()) return tmp.error();        \
  lhs = std::move(tmp.value())
#define OQNN_ASSIGN_OR_RETURN(lhs, expr) \
  OQNN_ASSIGN_OR_RETURN_IMPL(OQNN_CONCAT(_exp_, __LINE__), lhs, expr)
