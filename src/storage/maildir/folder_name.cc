#include "storage/maildir/folder_name.h"

#include <vector>

#include "base/ascii.h"
#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kInbox = "INBOX";

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return out;
}

Result<std::string> JoinDir(const std::vector<std::string_view>& parts, size_t first, char sep) {
  std::string dir;
  for (size_t i = first; i < parts.size(); ++i) {
    ROOST_RETURN_IF_ERROR(ValidateFolderComponent(parts[i], sep));
    dir += '.';
    dir += parts[i];
  }
  if (dir.size() > kMaxFolderDirLength) {
    return Status::InvalidArgument("folder name: longer than 255 bytes on disk");
  }
  return dir;
}

}  // namespace

Status ValidateFolderComponent(std::string_view component, char separator) {
  if (component.empty()) return Status::InvalidArgument("folder name: empty component");
  if (component.front() == '~') return Status::InvalidArgument("folder name: component starts with '~'");
  for (char ch : component) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return Status::InvalidArgument("folder name: control character");
    if (c == '/') return Status::InvalidArgument("folder name: contains '/'");
    if (c == '.' && separator != '.') {
      return Status::InvalidArgument("folder name: '.' inside a component");
    }
  }
  if (!IsValidUtf8(component)) return Status::InvalidArgument("folder name: invalid UTF-8");
  return Status::Ok();
}

Result<std::string> MailboxToDir(std::string_view mailbox, const FolderNaming& naming) {
  if (mailbox.size() > kMaxFolderDirLength + kInbox.size()) {
    return Status::InvalidArgument("folder name: too long");
  }
  std::vector<std::string_view> parts = Split(mailbox, naming.separator);
  bool first_is_inbox = AsciiEqualsIgnoreCase(parts[0], kInbox);
  if (first_is_inbox && parts.size() == 1) return std::string();
  if (naming.inbox_prefixed) {
    if (!first_is_inbox) return Status::NotFound("folder name: outside the INBOX namespace");
    return JoinDir(parts, 1, naming.separator);
  }
  if (first_is_inbox) parts[0] = kInbox;
  return JoinDir(parts, 0, naming.separator);
}

Result<std::string> DirToMailbox(std::string_view dir, const FolderNaming& naming) {
  if (dir.empty()) return std::string(kInbox);
  if (dir.size() > kMaxFolderDirLength) return Status::InvalidArgument("folder dir: too long");
  if (dir.front() != '.') return Status::InvalidArgument("folder dir: does not start with '.'");
  std::vector<std::string_view> parts = Split(dir.substr(1), '.');
  std::string out = naming.inbox_prefixed ? std::string(kInbox) : std::string();
  for (size_t i = 0; i < parts.size(); ++i) {
    // On disk '.' is the separator, so validate as if it were.
    ROOST_RETURN_IF_ERROR(ValidateFolderComponent(parts[i], '.'));
    if (naming.separator != '.' && parts[i].find(naming.separator) != std::string_view::npos) {
      return Status::InvalidArgument("folder dir: component contains the client separator");
    }
    if (!out.empty()) out += naming.separator;
    out += parts[i];
  }
  // Non-prefixed: ".INBOX" would alias INBOX itself, and ".inbox.x" could
  // not be named by a client, since "inbox.x" means ".INBOX.x".
  if (!naming.inbox_prefixed && AsciiEqualsIgnoreCase(parts[0], kInbox) &&
      (parts.size() == 1 || parts[0] != kInbox)) {
    return Status::InvalidArgument("folder dir: aliases INBOX");
  }
  return out;
}

}  // namespace roost::storage::maildir
