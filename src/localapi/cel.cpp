#include "langop/localapi/cel.hpp"

#include "cel_ast.hpp"
#include "cel_runtime.hpp"

#include <boost/system/errc.hpp>

namespace langop::localapi {
namespace {

error invalid(std::string message) {
  return error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument), std::move(message), 422,
               "Invalid");
}

}  // namespace

result<cel_program> cel_program::compile(std::string_view expression) {
  bool uses_old_self = false;
  auto parsed = detail::cel_parse(expression, &uses_old_self);
  if (auto* err = std::get_if<std::string>(&parsed)) return invalid(*err);
  auto e = std::make_shared<expr>();
  e->root = std::move(std::get<std::unique_ptr<detail::cel_node>>(parsed));
  e->uses_old_self = uses_old_self;
  cel_program p;
  p.root_ = std::move(e);
  return p;
}

result<bool> cel_program::evaluate(const json::value& self, const json::value* old_self) const {
  if (!root_ || !root_->root) return invalid("empty program");
  auto out = detail::cel_eval(*root_->root, self, old_self);
  if (out.failed) return invalid(out.error);
  if (detail::kind_of(out.value) != detail::cel_kind::boolean) return invalid("rule did not evaluate to a bool");
  return std::get<bool>(out.value.v);
}

bool cel_program::uses_old_self() const noexcept { return root_ && root_->uses_old_self; }

}  // namespace langop::localapi
