// Status and Result<T>: errors as values across module boundaries.
//
// A Status is either OK or carries a Code and a message. The message of a
// client-facing code (InvalidArgument, NotFound, ...) is safe to show to the
// caller; internal detail (file names, OpenSSL errors) belongs in the server
// log, so Internal/IOError/Corruption messages are never sent to clients as-is
// by the HTTP layer.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace coffer {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // 400: the client sent something malformed
  kPermissionDenied,   // 403
  kNotFound,           // 404
  kUnsupported,        // 405: operation not supported on this path
  kTooLarge,           // 413
  kFailedPrecondition, // 400: valid request that cannot apply to the current state
  kStandby,            // 429
  kInternal,           // 500
  kNotInitialized,     // 501
  kSealed,             // 503
  kUnavailable,        // 503: a dependency is down
  kCorruption,         // 500: stored data failed authentication or parsing
  kIOError,            // 500
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status PermissionDenied(std::string m = "permission denied") {
    return {Code::kPermissionDenied, std::move(m)};
  }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Unsupported(std::string m) { return {Code::kUnsupported, std::move(m)}; }
  static Status TooLarge(std::string m) { return {Code::kTooLarge, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {Code::kFailedPrecondition, std::move(m)};
  }
  static Status Standby(std::string m) { return {Code::kStandby, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
  static Status NotInitialized(std::string m = "Vault is not initialized") {
    return {Code::kNotInitialized, std::move(m)};
  }
  static Status Sealed(std::string m = "Vault is sealed") { return {Code::kSealed, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }

  // Prefixes the message with context, keeping the code.
  Status Annotate(const std::string& context) const {
    if (ok()) {
      return *this;
    }
    return Status(code_, context + ": " + message_);
  }

  std::string ToString() const;

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                     // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {               // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace coffer

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define COFFER_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::coffer::Status _st = (expr);            \
    if (!_st.ok()) {                          \
      return _st;                             \
    }                                         \
  } while (0)

#define COFFER_CONCAT_INNER(a, b) a##b
#define COFFER_CONCAT(a, b) COFFER_CONCAT_INNER(a, b)
// Declares `lhs` from a Result-returning `expr`, or returns its Status.
#define COFFER_ASSIGN_OR_RETURN(lhs, expr)                         \
  auto COFFER_CONCAT(_res_, __LINE__) = (expr);                    \
  if (!COFFER_CONCAT(_res_, __LINE__).ok()) {                      \
    return COFFER_CONCAT(_res_, __LINE__).status();                \
  }                                                                \
  lhs = std::move(COFFER_CONCAT(_res_, __LINE__)).value()
