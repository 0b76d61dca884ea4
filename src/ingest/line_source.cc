#include "ingest/line_source.h"
#include "base/bytes.h"

#include <unicode/ucnv.h>

#include <cerrno>
#include <cstring>

namespace ura::ingest {

Result<std::unique_ptr<LineSource>> LineSource::Open(const std::string& path, const std::string& encoding,
                                                     size_t max_line_bytes) {
  std::unique_ptr<LineSource> src(new LineSource());
  src->path_ = path;
  src->max_line_bytes_ = max_line_bytes;
  std::string enc = encoding;
  for (auto& ch : enc) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!enc.empty() && enc != "utf-8" && enc != "utf8") {
    UErrorCode status = U_ZERO_ERROR;
    src->converter_ = ucnv_open(encoding.c_str(), &status);
    if (U_FAILURE(status)) {
      return InvalidArgument("unknown character encoding '" + encoding + "'");
    }
    // Undefined bytes stop the conversion so that they are reported, not replaced silently.
    if (ucnv_getMinCharSize(src->converter_) > 1) {
      // Lines are split on the byte 0x0A before conversion: UTF-16/32 would be cut apart.
      return InvalidArgument("encoding '" + encoding + "' is not supported (lines are split on byte 0x0A): convert the file to UTF-8");
    }
    ucnv_setToUCallBack(src->converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  src->file_ = std::fopen(path.c_str(), "rb");
  if (src->file_ == nullptr) return ErrnoStatus(errno, "open", path);
  return src;
}

LineSource::~LineSource() {
  if (file_) std::fclose(file_);
  if (converter_) ucnv_close(converter_);
}

Result<std::optional<Line>> LineSource::Next() {
  Line line;
  line.number = ++line_number_;
  line.byte_offset = offset_;
  std::string raw;
  while (true) {
    if (buffer_pos_ >= buffer_.size()) {
      if (eof_) break;
      buffer_.resize(1 << 16);
      size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
      if (n == 0) {
        if (std::ferror(file_)) return ErrnoStatus(errno, "read", path_);
        eof_ = true;
        buffer_.clear();
        buffer_pos_ = 0;
        break;
      }
      buffer_.resize(n);
      buffer_pos_ = 0;
    }
    const char* start = buffer_.data() + buffer_pos_;
    size_t avail = buffer_.size() - buffer_pos_;
    const void* nl = std::memchr(start, '\n', avail);
    size_t take = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) + 1 : avail;
    if (raw.size() < max_line_bytes_) {
      raw.append(start, std::min(take, max_line_bytes_ - raw.size()));
    }
    if (raw.size() >= max_line_bytes_) line.too_long = true;
    buffer_pos_ += take;
    offset_ += take;
    if (nl) break;
  }
  if (offset_ == line.byte_offset) {
    --line_number_;
    return std::optional<Line>();
  }
  if (line.number == 1 && raw.size() >= 3 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0 && !converter_) {
    raw.erase(0, 3);  // UTF-8 byte-order mark
  }
  if (converter_) {
    std::string out(raw.size() * 4 + 4, '\0');
    UErrorCode status = U_ZERO_ERROR;
    ucnv_reset(converter_);
    int32_t n = ucnv_toAlgorithmic(UCNV_UTF8, converter_, out.data(), static_cast<int32_t>(out.size()),
                                   raw.data(), static_cast<int32_t>(raw.size()), &status);
    if (U_FAILURE(status)) {
      line.invalid_encoding = true;
      line.text = std::move(raw);
    } else {
      out.resize(static_cast<size_t>(n));
      line.text = std::move(out);
    }
  } else {
    line.invalid_encoding = !IsValidUtf8(raw);
    line.text = std::move(raw);
  }
  return std::optional<Line>(std::move(line));
}

}  // namespace ura::ingest
