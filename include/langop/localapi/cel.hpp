// A subset of CEL for x-kubernetes-validations rules (PURE): literals, self/oldSelf
// field access, has(), size(), in, ! && || ?:, == != < <= > >=, + - * / %, string
// startsWith/endsWith/contains/matches, list all/exists/exists_one/map/filter macros.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace langop::localapi {

class cel_program {
 public:
  // Errors (http 422-worthy) say where the expression stops being understood.
  [[nodiscard]] static result<cel_program> compile(std::string_view expression);

  // true/false for a boolean result; an error for a runtime failure (no such key,
  // type mismatch) — kube-apiserver reports those as invalid too.
  [[nodiscard]] result<bool> evaluate(const json::value& self, const json::value* old_self) const;

  struct expr;  // defined in the .cpp

 private:
  std::shared_ptr<const expr> root_;
};

}  // namespace langop::localapi
