#include "journal/journal_testing.h"

#include <filesystem>
#include <stdexcept>

namespace ura::journal::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/ura-test-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

KeySecret TestSecret(uint8_t fill) {
  KeySecret s;
  s.kind = KekKind::kKeyFile;
  Bytes raw(32, fill);
  s.material = crypto::SecretBytes(ByteView(raw));
  return s;
}

Result<std::unique_ptr<Journal>> NewTestStore(const std::string& dir) {
  URA_RETURN_IF_ERROR(Journal::Create(dir, TestSecret(), {1, 8192}).status());
  return Journal::OpenForWrite(dir, TestSecret());
}

std::string TestPayload(uint64_t seq, size_t size) {
  std::string p = "entry-" + std::to_string(seq) + "-";
  while (p.size() < size) p += static_cast<char>('a' + (seq + p.size()) % 26);
  return p;
}

}  // namespace ura::journal::testing
