// JSON replies of the API handlers (internal to src/http).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace ura::http {

inline void Reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// Every error: {"code", "message"} with a 4xx/5xx status.
inline void Error(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  Reply(res, status, nlohmann::json{{"code", code}, {"message", message}});
}

}  // namespace ura::http
