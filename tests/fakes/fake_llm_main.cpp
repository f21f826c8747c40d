// langop-fake-llm: the demo's embedded default model. Serves the OpenAI-compatible API
// (/v1/chat/completions, /v1/models) and the Anthropic API (/v1/messages, /v1/models)
// with deterministic demo answers (tests/fakes/llm_demo_rules.hpp). Point a
// LanguageModel (provider openai-compatible or anthropic) or the operator's synthesis
// flags at http://<address>:<port>/v1; a real provider works by setting the model's
// endpoint and key instead.
#include "fakes/llm_demo_rules.hpp"
#include "fakes/llm_server.hpp"

#include "langop/core/flags.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  using namespace langop;
  std::string address = "127.0.0.1";
  long long port = 8089;
  std::string api_key;
  std::chrono::milliseconds latency{0};
  bool quiet = false;

  flag_set flags("langop-fake-llm", "A fake OpenAI-compatible and Anthropic LLM server for the langop demo and tests.");
  flags.add_string("address", &address, "address to listen on", "FAKE_LLM_ADDRESS");
  flags.add_int("port", &port, "port to listen on (0: ephemeral)", "FAKE_LLM_PORT");
  flags.add_string("api-key", &api_key, "require this API key (empty: accept any)", "FAKE_LLM_API_KEY");
  flags.add_duration("latency", &latency, "delay before every answer", "FAKE_LLM_LATENCY");
  flags.add_bool("quiet", &quiet, "do not log requests");
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto parsed = flags.parse(args); !parsed) {
    std::cerr << "langop-fake-llm: " << parsed.error().message << "\n" << flags.usage();
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.usage();
    return 0;
  }
  if (port < 0 || port > 65535) {
    std::cerr << "langop-fake-llm: --port must be 0..65535\n";
    return 2;
  }

  boost::asio::io_context io{1};
  test::fake_llm_options opts;
  opts.api_key = api_key;
  opts.latency = latency;
  opts.listen.address = address;
  opts.listen.port = static_cast<std::uint16_t>(port);
  opts.listen.max_seen = 1000;  // a long-running demo keeps only recent requests
  if (!quiet) opts.log = [](std::string_view line) { std::cerr << "langop-fake-llm: " << line << '\n'; };

  try {
    test::fake_llm_server server(io.get_executor(), opts);
    for (auto& rule : test::demo_rules()) server.add_rule(std::move(rule));
    // The URL on stdout (one line, flushed) lets scripts start it with --port 0.
    std::cout << server.base_url() << std::endl;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      server.stop();
      io.stop();
    });
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "langop-fake-llm: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
