#include "http/pull_client.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace ura::http {

namespace {

bool IsLoopbackHost(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<HttpsPullTransport>> HttpsPullTransport::Connect(const std::string& url, std::string token,
                                                                        const std::string& ca_file) {
  const bool tls = url.rfind("https://", 0) == 0;
  const std::string rest = url.substr(tls ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0);
  if (rest.size() == url.size() || rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos) {
    return InvalidArgument("--pull wants the primary's address as https://HOST[:PORT] (no path), not '" + url + "'");
  }
  const std::string host = rest.substr(0, rest.rfind(':') == std::string::npos || rest.back() == ']' ? rest.size()
                                                                                                   : rest.rfind(':'));
  if (!tls && !IsLoopbackHost(host)) {
    return InvalidArgument("--pull " + url + ": a primary on another machine is reached over https:// only "
                           "(the backup token and the journal's files would cross the network in clear)");
  }
  if (token.empty()) return InvalidArgument("the token file is empty: put the backup account's API token in it");
  auto client = std::make_unique<httplib::Client>(url);
  if (!client->is_valid()) return InvalidArgument("--pull " + url + ": not a usable address");
  if (tls) {
    client->enable_server_certificate_verification(true);
    if (!ca_file.empty()) client->set_ca_cert_path(ca_file);
  }
  client->set_bearer_token_auth(token);
  client->set_connection_timeout(10);
  client->set_read_timeout(120);
  client->set_write_timeout(60);
  client->set_keep_alive(true);
  std::fill(token.begin(), token.end(), '\0');
  return std::unique_ptr<HttpsPullTransport>(new HttpsPullTransport(url, std::move(client)));
}

HttpsPullTransport::HttpsPullTransport(std::string url, std::unique_ptr<httplib::Client> client)
    : url_(std::move(url)), client_(std::move(client)) {}

HttpsPullTransport::~HttpsPullTransport() = default;

namespace {

Result<std::string> Answer(const std::string& url, const std::string& target, httplib::Result r) {
  if (!r) {
    std::string why = httplib::to_string(r.error());
    if (r.error() == httplib::Error::SSLServerVerification || r.error() == httplib::Error::SSLConnection) {
      why += ": the primary's certificate is not trusted (give its CA with --ca-file) or TLS failed";
    }
    return Unavailable("cannot reach " + url + " (" + why + ")");
  }
  if (r->status == 200) return std::move(r->body);
  std::string message;
  if (auto j = nlohmann::json::parse(r->body, nullptr, false); j.is_object() && j.contains("message") && j["message"].is_string()) {
    message = j["message"].get<std::string>();
  }
  const std::string said = url + " answered " + std::to_string(r->status) + (message.empty() ? "" : ": " + message);
  switch (r->status) {
    case 401: return PermissionDenied(said + " (check the token file: the backup account's API token)");
    case 403: return PermissionDenied(said + " (the token's account must have the role backup)");
    case 404:
      if (target.rfind("/api/v1/backup/file", 0) == 0) return FailedPrecondition(said + " (a file changed meanwhile: run the backup again)");
      return FailedPrecondition(said + " (is it a Ura primary with pull backups?)");
    case 409: return FailedPrecondition(said);
    default: return Unavailable(said);
  }
}

}  // namespace

Result<std::string> HttpsPullTransport::Get(const std::string& target) {
  return Answer(url_, target, client_->Get(target));
}

Result<std::string> HttpsPullTransport::Post(const std::string& target, const std::string& body) {
  return Answer(url_, target, client_->Post(target, body, "application/octet-stream"));
}

}  // namespace ura::http
