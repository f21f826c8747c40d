// CTest registers one test per Catch2 test case by name. A name with '[', ']' or ';'
// breaks CMake's list parsing and silently folds other tests into one that runs nothing,
// so such names are refused here.
#include <catch2/catch.hpp>

TEST_CASE("test case names are safe for CTest registration", "[meta]") {
  const auto& tests = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
  REQUIRE(tests.size() > 100);
  for (const auto& t : tests) {
    INFO(t.getTestCaseInfo().name);
    CHECK(t.getTestCaseInfo().name.find_first_of("[];") == std::string::npos);
  }
}
