#include "ingest/json_reader.h"
#include "base/bytes.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>

#include "ingest/line_source.h"

namespace ura::ingest {
namespace {

using nlohmann::json;

struct DepthExceeded {};

// Parses `text`, rejecting nesting deeper than `max_depth`.
Result<json> ParseBounded(std::string_view text, int max_depth) {
  try {
    return json::parse(text, [max_depth](int depth, json::parse_event_t, json&) {
      if (depth > max_depth) throw DepthExceeded{};
      return true;
    });
  } catch (const DepthExceeded&) {
    return InvalidArgument("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
}

class NdjsonReader final : public RecordReader {
 public:
  NdjsonReader(std::unique_ptr<LineSource> lines, JsonOptions options)
      : lines_(std::move(lines)), options_(std::move(options)) {}

  Result<std::optional<Item>> Next() override {
    while (true) {
      URA_ASSIGN_OR_RETURN(auto line, lines_->Next());
      if (!line) return std::optional<Item>();
      std::string& text = line->text;
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos) continue;  // blank line
      ++row_;
      Item item;
      auto bad = [&](std::string reason) {
        item.bad = BadRecord{row_, line->number, line->byte_offset,
                             line->too_long ? text.substr(0, 200) + "..." : text, std::move(reason)};
        return std::optional<Item>(std::move(item));
      };
      if (line->too_long) return bad("line longer than " + std::to_string(options_.max_record_bytes) + " bytes");
      if (line->invalid_encoding) {
        size_t at = 0;
        IsValidUtf8(text, &at);
        return bad("invalid UTF-8 at byte " + std::to_string(at) + " of the line");
      }
      auto parsed = ParseBounded(text, options_.max_depth);
      if (!parsed.ok()) return bad(parsed.status().message());
      if (!parsed->is_object()) return bad("a record must be a JSON object");
      Record r;
      r.row = row_;
      r.line = line->number;
      r.byte_offset = line->byte_offset;
      r.raw = std::move(text);
      r.json = std::move(parsed).value();
      item.record = std::move(r);
      return std::optional<Item>(std::move(item));
    }
  }
  uint64_t bytes_read() const override { return lines_->bytes_read(); }

 private:
  std::unique_ptr<LineSource> lines_;
  JsonOptions options_;
  uint64_t row_ = 0;
};

// Runs nlohmann's push parser on a thread and hands records over through a small queue.
class JsonArrayReader final : public RecordReader {
 public:
  JsonArrayReader(std::string path, JsonOptions options) : path_(std::move(path)), options_(std::move(options)) {
    size_t start = 0;
    while (!options_.records_path.empty()) {
      size_t dot = options_.records_path.find('.', start);
      target_.push_back(options_.records_path.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    thread_ = std::thread([this] { Parse(); });
  }
  ~JsonArrayReader() override {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  Result<std::optional<Item>> Next() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
      Item item = std::move(queue_.front());
      queue_.pop_front();
      cv_.notify_all();
      return std::optional<Item>(std::move(item));
    }
    if (!error_.ok()) return error_;
    if (!found_) {
      return InvalidArgument(options_.records_path.empty()
                                 ? "the JSON document is not an array of records"
                                 : "the JSON document has no array at '" + options_.records_path + "'");
    }
    return std::optional<Item>();
  }
  uint64_t bytes_read() const override { return bytes_; }

 private:
  struct Cancelled {};

  void Push(Item item) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < 64 || cancelled_; });
    if (cancelled_) throw Cancelled{};
    queue_.push_back(std::move(item));
    cv_.notify_all();
  }

  void Parse() {
    std::ifstream in(path_, std::ios::binary);
    Status status;
    if (!in) status = NotFound("cannot open " + path_);
    uint64_t row = 0;
    std::vector<std::string> keys;  // keys[d]: the key most recently read at depth d
    int records_depth = -1;         // depth of record elements, once inside the records array
    auto callback = [&](int depth, json::parse_event_t event, json& parsed) -> bool {
      if (depth > options_.max_depth) throw DepthExceeded{};
      bytes_ = static_cast<uint64_t>(std::max<std::streamoff>(0, in.tellg()));
      switch (event) {
        case json::parse_event_t::key:
          keys.resize(static_cast<size_t>(depth) + 1);
          keys[static_cast<size_t>(depth)] = parsed.get<std::string>();
          return true;
        case json::parse_event_t::array_start:
          if (records_depth < 0 && PathMatches(keys, depth)) {
            records_depth = depth + 1;
            found_ = true;
          }
          return true;
        case json::parse_event_t::array_end:
          if (depth + 1 == records_depth) records_depth = -2;  // the records array is over
          if (records_depth > 0 && depth >= records_depth) return true;  // inside a record
          return depth == 0;  // values outside the records are not kept: memory stays flat
        case json::parse_event_t::object_end:
        case json::parse_event_t::value:
          if (records_depth > 0 && depth > records_depth) return true;  // part of a record
          if (depth == records_depth) {
            ++row;
            Item item;
            if (!parsed.is_object()) {
              item.bad = BadRecord{row, 0, 0, parsed.dump(-1, ' ', false, json::error_handler_t::replace),
                                   "a record must be a JSON object"};
            } else {
              Record r;
              r.row = row;
              r.raw = parsed.dump(-1, ' ', false, json::error_handler_t::replace);
              r.json = std::move(parsed);
              item.record = std::move(r);
            }
            Push(std::move(item));
            return false;  // discard: memory stays flat
          }
          return depth == 0;
        default:
          return true;
      }
    };
    if (status.ok()) {
      try {
        json rest = json::parse(in, callback, /*allow_exceptions=*/true);  // records went out via Push
        (void)rest;
      } catch (const Cancelled&) {
        return;
      } catch (const DepthExceeded&) {
        status = InvalidArgument("JSON nested deeper than " + std::to_string(options_.max_depth) +
                                 " levels after record " + std::to_string(row) + "; the rest of the file is not read");
      } catch (const json::exception& e) {
        status = InvalidArgument(std::string("JSON syntax error after record ") + std::to_string(row) + " (" +
                                 e.what() + "); the rest of the file is not read");
      }
    }
    std::lock_guard lock(mu_);
    error_ = status;
    done_ = true;
    cv_.notify_all();
  }

  bool PathMatches(const std::vector<std::string>& keys, int depth) const {
    // An array starting at `depth` is at path keys[1..depth] (keys[0] is unused at the top).
    if (static_cast<size_t>(depth) != target_.size()) return false;
    for (size_t i = 0; i < target_.size(); ++i) {
      if (i + 1 >= keys.size() || keys[i + 1] != target_[i]) return false;
    }
    return true;
  }

  std::string path_;
  JsonOptions options_;
  std::vector<std::string> target_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool done_ = false;
  bool cancelled_ = false;
  std::atomic<bool> found_{false};
  Status error_;
  std::atomic<uint64_t> bytes_{0};
};

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenNdjsonReader(const std::string& path, const JsonOptions& options) {
  URA_ASSIGN_OR_RETURN(auto lines, LineSource::Open(path, options.encoding, options.max_record_bytes));
  return std::unique_ptr<RecordReader>(new NdjsonReader(std::move(lines), options));
}

Result<std::unique_ptr<RecordReader>> OpenJsonArrayReader(const std::string& path, const JsonOptions& options) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) return NotFound("cannot open " + path);
  return std::unique_ptr<RecordReader>(new JsonArrayReader(path, options));
}

}  // namespace ura::ingest
