// Code extraction from the model's markdown and the checks code passes before it is stored.
#include "langop/synthesis/code.hpp"

#include <catch2/catch.hpp>

using namespace langop::synthesis;

namespace {

const std::string good = R"(require 'language_operator'

agent 'monitor' do
  schedule cron: '*/5 * * * *'
  objectives [
    'Watch the workspace', # a comment with do and end and ' quotes
    "Alert when { something } changes"
  ]
  workflow do
    step 'check', depends_on: 'none' do
      use_tool 'filesystem', action: 'list_files'
      if changed?
        use_tool :email, action: 'send'
      end
    end
  end
end
)";

validation_options opts(std::vector<std::string> tools = {"filesystem", "email"}) {
  validation_options o;
  o.agent_name = "monitor";
  o.known_tools = std::move(tools);
  return o;
}

}  // namespace

TEST_CASE("synthesis: code comes out of the ruby fence, else the first fence, else a bare answer", "[synthesis]") {
  SECTION("ruby fence among others") {
    auto c = extract_code("Sure.\n```text\nnot this\n```\nHere:\n```ruby\nagent 'a' do\nend\n```\nDone.");
    REQUIRE(c);
    CHECK(*c == "agent 'a' do\nend\n");
  }
  SECTION("rb fence, language case-insensitive") {
    CHECK(extract_code("```Rb\nx = 1\n```") == std::optional<std::string>("x = 1\n"));
  }
  SECTION("a fence without language") { CHECK(extract_code("```\nagent 'a' do\nend\n```") == "agent 'a' do\nend\n"); }
  SECTION("an unclosed fence (token limit) runs to the end") {
    CHECK(extract_code("```ruby\nagent 'a' do\n") == "agent 'a' do\n");
  }
  SECTION("bare code") { CHECK(extract_code("require 'x'\nagent 'a' do\nend") == "require 'x'\nagent 'a' do\nend\n"); }
  SECTION("prose only") { CHECK_FALSE(extract_code("I cannot help with that.")); }
  SECTION("empty fence") { CHECK_FALSE(extract_code("```ruby\n\n```")); }
}

TEST_CASE("synthesis: valid code passes", "[synthesis]") { CHECK_FALSE(validate_code(good, opts())); }

TEST_CASE("synthesis: each check says what is wrong", "[synthesis]") {
  SECTION("size cap") {
    auto o = opts();
    o.max_bytes = 100;
    auto why = validate_code(good, o);
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("limit is 100"));
  }
  SECTION("no header") {
    auto why = validate_code("workflow do\nend\n", opts());
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("agent 'monitor' do"));
  }
  SECTION("another name") {
    auto why = validate_code("agent 'other' do\nend\n", opts());
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("names 'other'"));
  }
  SECTION("missing end") {
    auto why = validate_code("agent 'monitor' do\n  workflow do\n    step 'x' do\n    end\nend\n", opts());
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("'do' opened on line 1 is never closed"));
  }
  SECTION("extra end") {
    auto why = validate_code("agent 'monitor' do\nend\nend\n", opts());
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("'end' on line 3 closes nothing"));
  }
  SECTION("bracket closed by end") {
    auto why = validate_code("agent 'monitor' do\n  objectives [\nend\n", opts());
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("inside '['"));
  }
  SECTION("unknown tool, known ones listed") {
    auto why = validate_code(good, opts({"filesystem"}));
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("use_tool 'email'") && Catch::Contains("known tools: filesystem"));
  }
  SECTION("no tools at all") {
    auto why = validate_code(good, opts({}));
    REQUIRE(why);
    CHECK_THAT(*why, Catch::Contains("known tools: none"));
  }
}

TEST_CASE("synthesis: keywords in strings, comments, modifiers and method calls do not count", "[synthesis]") {
  const std::string code = "agent 'monitor' do\n"
                           "  x = 'end do if'\n"
                           "  y = \"\\\" do\" # end\n"
                           "  retry_later if x.end\n"
                           "  while busy? do\n"
                           "    wait\n"
                           "  end\n"
                           "  opts = { end: 1, class: 2 }\n"
                           "end\n";
  CHECK_FALSE(validate_code(code, opts()));
}
