// libFuzzer target for the Courier userdb text parser
// (auth/userdb/userdb_format.h), plus the other auth text parsers that read
// administrator files: Dovecot passwd-file, account OPTIONS, and the
// base64/hex decoders used on stored hashes.
// Properties: parsing never crashes; an accepted userdb that formats at all
// formats to text that parses back to the same entries; options and
// decoded bytes survive a re-encode. (VerifyPassword is left out: a crypt setting with a
// huge cost parameter is slow by design, not a bug.)
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/account_options.h"
#include "auth/encoding.h"
#include "auth/passwd_file/passwd_file.h"
#include "auth/userdb/userdb_format.h"

namespace {

using namespace roost::auth;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool SameEntries(const userdb::Userdb& a, const userdb::Userdb& b) {
  auto ea = a.Entries();
  auto eb = b.Entries();
  if (ea.size() != eb.size()) return false;
  for (size_t i = 0; i < ea.size(); ++i) {
    if (ea[i]->name != eb[i]->name || ea[i]->fields != eb[i]->fields) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto db = userdb::ParseUserdb(in);
  if (db.has_value()) {
    auto text = userdb::FormatUserdb(*db);
    if (text.has_value()) {
      auto again = userdb::ParseUserdb(*text);
      Check(again.has_value() && SameEntries(*db, *again));
      Check(*userdb::FormatUserdb(*again) == *text);
    }
  }
  auto passwd = passwd_file::ParsePasswdFile(in);
  if (passwd.has_value()) {
    for (const auto& entry : *passwd) Check(!entry.user.empty());
  }
  AccountOptions options = AccountOptions::Parse(in.substr(0, 4096));
  Check(AccountOptions::Parse(options.ToString()).ToString() == options.ToString());
  if (auto decoded = Base64Decode(in)) Check(Base64Decode(Base64Encode(*decoded)) == decoded);
  if (auto decoded = HexDecode(in)) Check(HexDecode(HexEncode(*decoded)) == decoded);
  return 0;
}
