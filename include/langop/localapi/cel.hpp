// A subset of CEL for x-kubernetes-validations rules (PURE): literals, self/oldSelf
// field access, has(), size(), in, ! && || ?:, == != < <= > >=, + - * / %, string
// startsWith/endsWith/contains/matches, list all/exists/exists_one/map/filter macros.
// Also: list/map literals, indexing, int()/uint()/double()/string()/bool()/dyn(),
// lowerAscii/upperAscii/trim/split/join/replace, kube's property-name escapes
// (__dash__, __dot__, __slash__, __underscores__, __<keyword>__).
//
// Simplifications vs cel-go as kube-apiserver configures it:
// - no static type checking: type errors surface at evaluation as "no such overload";
// - arithmetic mixing int and double promotes to double (values carry no schema type,
//   so a `number` field holding 3 is an int here where kube would have a double);
// - map keys are strings (JSON); no bytes, duration, timestamp, optional, quantity,
//   ip/cidr/url libraries, two-variable comprehensions or messageExpression;
// - regexes use ECMAScript syntax (std::regex) rather than RE2;
// - cost: a fixed step and byte budget per evaluation instead of kube's cost model.
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

  // True for transition rules: they are evaluated only when the old value exists.
  [[nodiscard]] bool uses_old_self() const noexcept;

  struct expr;  // defined in the .cpp

 private:
  std::shared_ptr<const expr> root_;
};

}  // namespace langop::localapi
