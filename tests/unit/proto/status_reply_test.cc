#include "proto/imap/status_reply.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "fake_sink.h"

namespace roost::proto::imap {
namespace {

std::string Reply(const Status& status) {
  auto sink = std::make_shared<proto::testing::FakeSink>();
  ResponseWriter out(sink);
  WriteStatusReply(out, "t1", status);
  out.Flush();
  return sink->TakeOutput();
}

TEST(StatusReplyTest, SyntaxErrorsAreBadWithTheirMessage) {
  EXPECT_EQ(Reply(Status::InvalidArgument("Missing argument")), "t1 BAD Missing argument\r\n");
}

TEST(StatusReplyTest, MailErrorsUseResponseCodesAndFixedText) {
  EXPECT_EQ(Reply(Status::Mail(MailError::kNoQuota, "maildirsize says 5000 > 4000")),
            "t1 NO [OVERQUOTA] Quota exceeded\r\n");
  EXPECT_EQ(Reply(Status::Mail(MailError::kNotFound, "/home/x/Maildir/.Foo")),
            "t1 NO [NONEXISTENT] No such mailbox or message\r\n");
  EXPECT_EQ(Reply(Status::Mail(MailError::kParams, "bad")), "t1 BAD Invalid arguments\r\n");
}

TEST(StatusReplyTest, InternalErrorsHideDetailsBehindACorrelationId) {
  std::string reply = Reply(Status::FromErrno(5, "rename(/secret/a, /secret/b)"));
  EXPECT_EQ(reply.rfind("t1 NO [SERVERBUG] Internal error (id ", 0), 0u) << reply;
  EXPECT_EQ(reply.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace roost::proto::imap
