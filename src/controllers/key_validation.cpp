#include "key_validation.hpp"

#include "langop/controllers/kinds.hpp"
#include "langop/core/base64.hpp"
#include "langop/kube/client.hpp"
#include "langop/llm/client.hpp"
#include "langop/llm/errc.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

check_outcome failed(std::string reason, std::string message, bool transient) {
  check_outcome o;
  o.reason = std::move(reason);
  o.message = std::move(message);
  o.transient = transient;
  return o;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The key, read with a direct GET (the cache blanks Secret values). Messages name the
// Secret and key, never the value.
net::awaitable<result<std::string>> read_key(kube::client& client, const key_source& src) {
  if (src.name.empty()) co_return std::string();
  const auto where = "key " + quoted(src.key) + " of Secret " + quoted(src.name);
  auto secret = co_await client.get(kinds::secrets, src.ns, src.name);
  if (!secret) co_return error(secret.error().code, "cannot read " + where + ": " + secret.error().message);
  if (auto plain = jsonu::get_string(*secret, {"stringData", src.key}); !plain.empty()) co_return std::string(plain);
  auto encoded = jsonu::get_string(*secret, {"data", src.key});
  auto key = base64_decode(encoded);
  if (encoded.empty() || !key)
    co_return error(make_error_code(std::errc::invalid_argument), where + " is empty or not base64");
  // Keys pasted with a trailing newline (echo ... | base64) would be rejected by every provider.
  while (!key->empty() && (key->back() == '\n' || key->back() == '\r')) key->pop_back();
  co_return std::move(*key);
}

check_outcome classify(const error& e) {
  auto code = llm::code_of(e).value_or(llm::errc::network);
  std::string msg = "the provider rejected the API key check: " + e.message;
  switch (code) {
    case llm::errc::unauthorized:
      return failed("Unauthorized", "the provider refused the API key: " + e.message, false);
    case llm::errc::rate_limited: return failed("RateLimited", std::move(msg), true);
    case llm::errc::server_error: return failed("ProviderError", std::move(msg), true);
    case llm::errc::timeout:
    case llm::errc::network: return failed("Unreachable", "the provider could not be reached: " + e.message, true);
    case llm::errc::malformed_response: return failed("MalformedResponse", std::move(msg), false);
    case llm::errc::unsupported_provider: return failed("UnsupportedProvider", e.message, false);
    case llm::errc::cancelled: return failed("Cancelled", e.message, true);
    default: return failed("Rejected", std::move(msg), false);
  }
}

net::awaitable<check_outcome> validate(net::any_io_executor ex, kube::client& kube, key_source src,
                                       llm::model_config cfg, std::chrono::milliseconds timeout) {
  auto key = co_await read_key(kube, src);
  // A Secret that vanished since the reconcile saw it: the watch brings the model back.
  if (!key) co_return failed("SecretUnreadable", key.error().message, true);
  auto client = llm::client::make(ex, cfg);
  if (!client) co_return classify(client.error());
  auto models = co_await client->list_models(std::move(*key), http::after(timeout));
  if (!models) co_return classify(models.error());
  check_outcome o;
  o.ok = true;
  o.reason = "Valid";
  o.message = "the provider at " + client->endpoint().base_url + " accepted the API key (" +
              std::to_string(models->size()) + " models listed)";
  co_return o;
}

}  // namespace

background_checks::check_fn validate_key_check(net::any_io_executor ex, kube::client& client, key_source source,
                                               llm::model_config cfg, std::chrono::milliseconds timeout) {
  return [ex, &client, source = std::move(source), cfg = std::move(cfg), timeout]() {
    return validate(ex, client, source, cfg, timeout);
  };
}

condition key_valid_condition(const check_outcome& o) { return condition{"KeyValid", o.ok, o.reason, o.message}; }

}  // namespace langop::controllers
