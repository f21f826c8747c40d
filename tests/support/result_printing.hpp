// Lets Catch2 print langop::result<T> in failed assertions: the error's description
// (never a value, which may be large or secret).
#pragma once

#include "langop/core/error.hpp"

#include <catch2/catch.hpp>

namespace Catch {
template <class T>
struct StringMaker<boost::system::result<T, langop::error>> {
  static std::string convert(const boost::system::result<T, langop::error>& r) {
    return r.has_value() ? std::string("<value>") : "<error: " + r.error().describe() + ">";
  }
};
}  // namespace Catch
