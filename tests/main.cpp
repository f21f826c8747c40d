// Catch2 v2 main: compiled once, separate from the test cases.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
