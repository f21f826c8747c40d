#include "langop/core/error.hpp"

namespace langop {

std::string error::describe() const {
  std::string out = message.empty() ? code.message() : message;
  if (code) {
    out += " (";
    out += code.category().name();
    out += ':';
    out += code.message();
    out += ')';
  }
  return out;
}

void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw error_exception(e);
}

}  // namespace langop
