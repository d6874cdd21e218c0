// Result<T>: a value or a Status explaining why there is none.
//
// The member names follow std::expected (has_value, value, error, operator*,
// operator->) so moving to C++23 is a rename. An error Result never holds an
// OK Status: constructing one from Status::Ok() is a programming error and
// becomes Status::Internal.
//
// Thread affinity: a value type.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "base/status.h"

namespace roost {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status)                                               // NOLINT: implicit by design
      : v_(std::in_place_index<1>,
           status.ok() ? Status::Internal("Result constructed from OK status") : std::move(status)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Status& error() const& { assert(!has_value()); return std::get<1>(v_); }
  Status&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

  // OK if a value is held, else the error. For ROOST_RETURN_IF_ERROR.
  Status status() const { return has_value() ? Status::Ok() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace roost

#define ROOST_CONCAT_INNER_(a, b) a##b
#define ROOST_CONCAT_(a, b) ROOST_CONCAT_INNER_(a, b)

// `ROOST_ASSIGN_OR_RETURN(auto x, F());` declares x from F()'s value, or
// returns F()'s error from the enclosing function.
#define ROOST_ASSIGN_OR_RETURN(lhs, expr) \
  ROOST_ASSIGN_OR_RETURN_IMPL_(ROOST_CONCAT_(roost_result_, __LINE__), lhs, expr)
#define ROOST_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
