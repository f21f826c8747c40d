#include "langop/kube/token_source.hpp"

#include "config_util.hpp"
#include "langop/kube/config_errc.hpp"

namespace langop::kube {

namespace fs = std::filesystem;

namespace {
std::string trim_token(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}
}  // namespace

token_source::token_source(std::string fixed_token) : token_(trim_token(std::move(fixed_token))), loaded_(true) {}

token_source::token_source(fs::path file, std::chrono::seconds recheck, now_fn now)
    : file_(std::move(file)), recheck_(recheck), now_(now ? std::move(now) : now_fn([] { return clock::now(); })) {}

result<std::string> token_source::token() {
  if (file_.empty()) return token_;
  const auto now = now_();
  if (loaded_ && now - last_check_ < recheck_) return token_;
  last_check_ = now;

  std::error_code ec;
  auto mtime = fs::last_write_time(file_, ec);
  std::uintmax_t size = ec ? 0 : fs::file_size(file_, ec);
  if (ec) {
    if (loaded_) return token_;
    return make_config_error(config_errc::file_unreadable,
                             "cannot read bearer token file \"" + file_.string() + "\": " + ec.message());
  }
  if (loaded_ && mtime == mtime_ && size == size_) return token_;

  auto text = detail::read_file(file_, "bearer token file");
  ++reads_;
  if (!text) {
    if (loaded_) return token_;
    return text.error();
  }
  std::string fresh = trim_token(std::move(*text));
  if (fresh.empty()) {
    // A half-written file during rotation: keep the previous token.
    if (loaded_) return token_;
    return make_config_error(config_errc::malformed, "bearer token file \"" + file_.string() + "\" is empty");
  }
  token_ = std::move(fresh);
  mtime_ = mtime;
  size_ = size;
  loaded_ = true;
  return token_;
}

http::bearer_provider token_source::provider(std::shared_ptr<token_source> src) {
  return [src = std::move(src)]() { return src->token(); };
}

std::shared_ptr<token_source> make_token_source(const cluster_config& cfg, std::chrono::seconds recheck) {
  if (!cfg.token_file.empty()) return std::make_shared<token_source>(fs::path(cfg.token_file), recheck);
  if (!cfg.token.empty()) return std::make_shared<token_source>(cfg.token);
  return nullptr;
}

}  // namespace langop::kube
