// Physical lines of a file, read in blocks with a cap on line length, converted to UTF-8
// from the file's declared character set (ICU). The readers build records from these lines;
// parsing within a record is left to the CSV and JSON libraries.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "base/status.h"

struct UConverter;

namespace ura::ingest {

struct Line {
  std::string text;          // UTF-8 (converted), including the final '\n' if there was one
  uint64_t number = 0;       // 1-based
  uint64_t byte_offset = 0;  // of the line's first byte in the file
  bool too_long = false;     // the line exceeded the cap; `text` holds only its start
  bool invalid_encoding = false;  // bytes not valid in the declared encoding (UTF-8 kept as is)
};

class LineSource {
 public:
  // `encoding`: "utf-8" or any ICU converter name. kInvalidArgument for an unknown encoding,
  // kNotFound / kPermissionDenied if the file cannot be opened.
  static Result<std::unique_ptr<LineSource>> Open(const std::string& path, const std::string& encoding,
                                                  size_t max_line_bytes);
  ~LineSource();
  // Next line, or nullopt at the end of the file.
  Result<std::optional<Line>> Next();
  uint64_t bytes_read() const { return offset_; }

 private:
  LineSource() = default;
  std::string path_;
  std::FILE* file_ = nullptr;
  UConverter* converter_ = nullptr;  // null for UTF-8
  size_t max_line_bytes_ = 0;
  std::string buffer_;
  size_t buffer_pos_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;
  uint64_t line_number_ = 0;
};

}  // namespace ura::ingest
