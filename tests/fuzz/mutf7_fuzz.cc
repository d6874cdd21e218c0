// libFuzzer target for modified UTF-7 and folder names
// (storage/maildir/mutf7.h, folder_name.h). Properties: decoding accepts
// only canonical input (encode(decode(x)) == x); encoding round-trips
// (decode(encode(x)) == x); a directory accepted by DirToMailbox maps back
// to itself, and any directory MailboxToDir produces is safe (no '/', no
// "..", starts with '.').
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/folder_name.h"
#include "storage/maildir/mutf7.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckFolders(std::string_view in, const FolderNaming& naming) {
  auto dir = MailboxToDir(in, naming);
  if (dir.has_value() && !dir->empty()) {
    Check(dir->front() == '.' && dir->size() <= kMaxFolderDirLength);
    Check(dir->find('/') == std::string::npos && dir->find("..") == std::string::npos);
    Check(dir->back() != '.');
  }
  auto name = DirToMailbox(in, naming);
  if (name.has_value()) {
    auto back = MailboxToDir(*name, naming);
    Check(back.has_value() && *back == in);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto decoded = Mutf7ToUtf8(in);
  if (decoded.has_value()) {
    auto encoded = Utf8ToMutf7(*decoded);
    Check(encoded.has_value() && *encoded == in);
  }
  auto encoded = Utf8ToMutf7(in);
  if (encoded.has_value()) {
    auto back = Mutf7ToUtf8(*encoded);
    Check(back.has_value() && *back == in);
  }
  CheckFolders(in, FolderNaming{.separator = '.', .inbox_prefixed = true});
  CheckFolders(in, FolderNaming{.separator = '/', .inbox_prefixed = false});
  return 0;
}
