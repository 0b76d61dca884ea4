#include "ingest/csv_reader.h"
#include "base/bytes.h"

#include <csv.h>

#include <deque>

#include "ingest/line_source.h"

namespace ura::ingest {
namespace {

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::unique_ptr<LineSource> lines, CsvOptions options)
      : lines_(std::move(lines)), options_(std::move(options)) {
    ResetParser();
  }
  ~CsvReader() override { csv_free(&parser_); }

  Status ReadHeader() {
    if (!options_.header) {
      if (options_.columns.empty()) return InvalidArgument("CSV without a header needs `columns`");
      columns_ = std::make_shared<std::vector<std::string>>(options_.columns);
      return Status::Ok();
    }
    URA_ASSIGN_OR_RETURN(auto item, ReadRecord());
    if (!item || !item->record) {
      return InvalidArgument(item && item->bad ? "the header row cannot be read: " + item->bad->reason
                                               : "the file is empty (no header row)");
    }
    auto cols = std::make_shared<std::vector<std::string>>();
    for (auto& f : item->record->fields) {
      std::string name = f;
      while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.pop_back();
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      cols->push_back(std::move(name));
    }
    columns_ = std::move(cols);
    return Status::Ok();
  }

  Result<std::optional<Item>> Next() override {
    URA_ASSIGN_OR_RETURN(auto item, ReadRecord());
    if (!item) return item;
    ++row_;
    if (item->bad) {
      item->bad->row = row_;
      return item;
    }
    Record& r = *item->record;
    r.row = row_;
    if (r.fields.size() != columns_->size() && last_record_lines_.size() > 1) {
      // A record that spans lines and has the wrong shape: most likely an opening quote
      // that closed only in a later record. Quarantine the first line, read the rest again.
      Line first = std::move(last_record_lines_.front());
      for (size_t i = last_record_lines_.size(); i-- > 1;) replay_.push_front(std::move(last_record_lines_[i]));
      last_record_lines_.clear();
      return std::optional<Item>(Bad(first.number, first.byte_offset, first.text,
                                     "unbalanced quote: the field closes only in a later line"));
    }
    if (r.fields.size() != columns_->size()) {
      return std::optional<Item>(Bad(r.line, r.byte_offset, std::move(r.raw),
                                     "has " + std::to_string(r.fields.size()) + " fields, the header has " +
                                         std::to_string(columns_->size())));
    }
    r.columns = columns_;
    return item;
  }

  uint64_t bytes_read() const override { return lines_->bytes_read(); }

 private:
  Item Bad(uint64_t line, uint64_t offset, std::string raw, std::string reason) {
    Item item;
    item.bad = BadRecord{row_, line, offset, std::move(raw), std::move(reason)};
    return item;
  }

  void ResetParser() {
    if (parser_ready_) csv_free(&parser_);
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_delim(&parser_, static_cast<unsigned char>(options_.delimiter));
    csv_set_quote(&parser_, static_cast<unsigned char>(options_.quote));
    parser_ready_ = true;
    fields_.clear();
    completed_ = false;
    field_too_long_ = 0;
  }

  static void OnField(void* data, size_t len, void* self_ptr) {
    auto* self = static_cast<CsvReader*>(self_ptr);
    if (len > self->options_.max_field_bytes) {
      self->field_too_long_ = len;
      self->fields_.emplace_back();
      return;
    }
    self->fields_.emplace_back(static_cast<const char*>(data), len);
  }
  static void OnRow(int, void* self_ptr) { static_cast<CsvReader*>(self_ptr)->completed_ = true; }

  Result<std::optional<Line>> NextLine() {
    if (!replay_.empty()) {
      Line l = std::move(replay_.front());
      replay_.pop_front();
      return std::optional<Line>(std::move(l));
    }
    return lines_->Next();
  }

  // Reads one record's lines and parses them. Never returns a header-count check.
  Result<std::optional<Item>> ReadRecord() {
    std::vector<Line> pending;
    size_t pending_bytes = 0;
    while (true) {
      URA_ASSIGN_OR_RETURN(auto next, NextLine());
      if (!next) {
        if (pending.empty()) return std::optional<Item>();
        // End of file inside a record: only an unterminated quote can do that.
        if (csv_fini(&parser_, OnField, OnRow, this) != 0 || !completed_) {
          return std::optional<Item>(Unbalanced(pending));
        }
        return std::optional<Item>(Finish(pending));
      }
      Line line = std::move(*next);
      if (pending.empty() && (line.text == "\n" || line.text == "\r\n")) continue;  // blank line
      if (line.too_long) {
        // Skip it whole: a line over the record limit cannot be a record.
        std::string raw = line.text.substr(0, 200) + "...";
        ResetParser();
        if (!pending.empty()) {
          for (auto& l : pending) replay_.push_back(std::move(l));
          replay_.push_back(std::move(line));
          Line first = std::move(replay_.front());
          replay_.pop_front();
          return std::optional<Item>(Bad(first.number, first.byte_offset, first.text,
                                         "unbalanced quote: the record never ends"));
        }
        return std::optional<Item>(Bad(line.number, line.byte_offset, std::move(raw),
                                       "line longer than " + std::to_string(options_.max_record_bytes) +
                                           " bytes"));
      }
      if (line.invalid_encoding && !pending.empty()) {
        // Inside a quoted field that spans lines: the opening quote was probably unbalanced.
        pending.push_back(std::move(line));
        return std::optional<Item>(Unbalanced(pending));
      }
      if (line.invalid_encoding) {
        // Not text in the declared encoding: the whole line is bad.
        size_t at = 0;
        IsValidUtf8(line.text, &at);
        std::string reason = options_.encoding == "utf-8" || options_.encoding.empty()
                                 ? "invalid UTF-8 at byte " + std::to_string(at) + " of the line"
                                 : "bytes that are not valid " + options_.encoding;
        ResetParser();
        Line first = pending.empty() ? line : pending.front();
        std::string raw;
        for (auto& l : pending) raw += l.text;
        raw += line.text;
        return std::optional<Item>(Bad(first.number, first.byte_offset, std::move(raw), reason));
      }
      pending_bytes += line.text.size();
      pending.push_back(line);
      size_t consumed = csv_parse(&parser_, line.text.data(), line.text.size(), OnField, OnRow, this);
      if (consumed < line.text.size() && pending.size() > 1) {
        return std::optional<Item>(Unbalanced(pending));
      }
      if (consumed < line.text.size()) {
        std::string raw;
        for (auto& l : pending) raw += l.text;
        Line first = pending.front();
        std::string reason = std::string("malformed quoting (") + csv_strerror(csv_error(&parser_)) +
                             ") near byte " + std::to_string(pending_bytes - line.text.size() + consumed) +
                             " of the record";
        ResetParser();
        return std::optional<Item>(Bad(first.number, first.byte_offset, std::move(raw), reason));
      }
      if (completed_) return std::optional<Item>(Finish(pending));
      if (pending.size() >= options_.max_record_lines || pending_bytes > options_.max_record_bytes) {
        return std::optional<Item>(Unbalanced(pending));
      }
    }
  }

  Item Unbalanced(std::vector<Line>& pending) {
    ResetParser();
    Line first = std::move(pending.front());
    for (size_t i = pending.size(); i-- > 1;) replay_.push_front(std::move(pending[i]));
    return Bad(first.number, first.byte_offset, first.text, "unbalanced quote: the field never closes");
  }

  Item Finish(std::vector<Line>& pending) {
    Item item;
    std::string raw;
    for (auto& l : pending) raw += l.text;
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
    if (field_too_long_ != 0) {
      size_t len = field_too_long_;
      std::string head = raw.substr(0, 200) + "...";
      Line first = pending.front();
      ResetParser();
      return Bad(first.number, first.byte_offset, std::move(head),
                 "a field of " + std::to_string(len) + " bytes exceeds the " +
                     std::to_string(options_.max_field_bytes) + "-byte limit");
    }
    Record r;
    r.line = pending.front().number;
    r.byte_offset = pending.front().byte_offset;
    last_record_lines_ = std::move(pending);
    r.raw = std::move(raw);
    r.fields = std::move(fields_);
    ResetParser();
    item.record = std::move(r);
    return item;
  }

  std::unique_ptr<LineSource> lines_;
  CsvOptions options_;
  csv_parser parser_{};
  bool parser_ready_ = false;
  std::vector<std::string> fields_;
  bool completed_ = false;
  size_t field_too_long_ = 0;
  std::deque<Line> replay_;
  std::vector<Line> last_record_lines_;  // lines of the record Finish() returned last
  std::shared_ptr<const std::vector<std::string>> columns_;
  uint64_t row_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> OpenCsvReader(const std::string& path, const CsvOptions& options) {
  URA_ASSIGN_OR_RETURN(auto lines, LineSource::Open(path, options.encoding, options.max_record_bytes));
  auto reader = std::make_unique<CsvReader>(std::move(lines), options);
  URA_RETURN_IF_ERROR(reader->ReadHeader().WithContext(path));
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace ura::ingest
