#include "proto/imap/status_reply.h"

#include <fmt/format.h>

#include "base/log.h"

namespace roost::proto::imap {
namespace {

struct MailReply {
  Cond cond;
  std::string_view code;  // RFC 5530 response code; empty for none
  std::string_view text;
};

// Exhaustive on purpose (no default): a new MailError must be mapped here.
MailReply MapMailError(MailError error) {
  switch (error) {
    case MailError::kNone:
    case MailError::kTempFail: return {Cond::kNo, "SERVERBUG", "Internal error"};
    case MailError::kNotPossible: return {Cond::kNo, "CANNOT", "Operation not possible"};
    case MailError::kParams: return {Cond::kBad, "", "Invalid arguments"};
    case MailError::kNoPerm: return {Cond::kNo, "NOPERM", "Permission denied"};
    case MailError::kNoQuota: return {Cond::kNo, "OVERQUOTA", "Quota exceeded"};
    case MailError::kNotFound: return {Cond::kNo, "NONEXISTENT", "No such mailbox or message"};
    case MailError::kExists: return {Cond::kNo, "ALREADYEXISTS", "Mailbox already exists"};
    case MailError::kExpunged: return {Cond::kNo, "EXPUNGEISSUED", "Message was expunged"};
    case MailError::kInUse: return {Cond::kNo, "INUSE", "Mailbox is in use, try again later"};
    case MailError::kLimit: return {Cond::kNo, "LIMIT", "Limit exceeded"};
    case MailError::kCorrupted: return {Cond::kNo, "CORRUPTION", "Mailbox is being repaired, try again later"};
    case MailError::kUnavailable: return {Cond::kNo, "UNAVAILABLE", "Service temporarily unavailable"};
  }
  return {Cond::kNo, "SERVERBUG", "Internal error"};
}

}  // namespace

void WriteStatusReply(ResponseWriter& out, std::string_view tag, const Status& status) {
  if (status.code() == Status::Code::kInvalidArgument && status.mail_error() == MailError::kNone) {
    out.Tagged(tag, Cond::kBad, "", status.message());
    return;
  }
  MailReply reply = MapMailError(status.mail_error());
  if (reply.code == "SERVERBUG") {
    std::string id = log::NewCorrelationId();
    ROOST_LOG_ERROR("imap command failed id={}: {}", id, status.ToString());
    out.Tagged(tag, Cond::kNo, reply.code, fmt::format("Internal error (id {})", id));
    return;
  }
  out.Tagged(tag, reply.cond, reply.code, reply.text);
}

}  // namespace roost::proto::imap
