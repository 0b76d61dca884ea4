// JSON replies of the API handlers (internal to src/http).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
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

// The query parameter `name` as a number from `min` to `max`, or nullopt with a 400 reply set
// (absent, not decimal digits, or out of range).
inline std::optional<uint64_t> NumberParam(const httplib::Request& req, httplib::Response& res, const char* name,
                                           uint64_t min, uint64_t max) {
  const std::string text = req.get_param_value(name);
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(text) < min || std::stoull(text) > max) {
    Error(res, 400, std::string("bad_") + name, std::string(name) + " must be a number from " + range);
    return std::nullopt;
  }
  return std::stoull(text);
}

}  // namespace ura::http
