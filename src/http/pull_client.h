// The backup host's connection to a primary (recovery::PullTransport over cpp-httplib): HTTPS
// with the server's certificate verified (against --ca-file, or the system's CAs) and a
// `backup` account's API token as bearer. Plain http:// only to a loopback address, where
// `ura serve` without a certificate listens. Refusals become messages that say what to fix.
#pragma once

#include <memory>
#include <string>

#include "recovery/pull.h"

namespace httplib {
class Client;
}

namespace ura::http {

class HttpsPullTransport final : public recovery::PullTransport {
 public:
  // kInvalidArgument for a URL that is not https://HOST[:PORT] (or http:// to loopback).
  static Result<std::unique_ptr<HttpsPullTransport>> Connect(const std::string& url, std::string token,
                                                            const std::string& ca_file);
  ~HttpsPullTransport() override;

  Result<std::string> Get(const std::string& target) override;
  Result<std::string> Post(const std::string& target, const std::string& body) override;
  std::string Describe() const override { return url_; }

 private:
  HttpsPullTransport(std::string url, std::unique_ptr<httplib::Client> client);
  std::string url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace ura::http
