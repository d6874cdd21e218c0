#include "base/status.h"

#include <cerrno>
#include <type_traits>

#include <gtest/gtest.h>

#include "base/result.h"

namespace roost {
namespace {

static_assert(std::is_nothrow_move_constructible_v<Status>);
static_assert(sizeof(Status) == sizeof(void*), "OK must cost one word");

TEST(StatusTest, OkIsFree) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrnoMapping) {
  Status s = Status::FromErrno(ENOENT, "rename(a, b)");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.mail_error(), MailError::kNotFound);
  EXPECT_EQ(s.sys_errno(), ENOENT);
  EXPECT_EQ(s.message(), "rename(a, b) failed: No such file or directory");
  EXPECT_EQ(Status::FromErrno(EDQUOT, "write").mail_error(), MailError::kNoQuota);
  EXPECT_EQ(Status::FromErrno(EIO, "fsync").code(), Status::Code::kIoError);
}

TEST(StatusTest, CopyIsDeep) {
  Status a = Status::Mail(MailError::kNoQuota, "over");
  Status b = a;
  EXPECT_EQ(b.mail_error(), MailError::kNoQuota);
  EXPECT_EQ(b.message(), "over");
  Status c = b.WithContext("APPEND");
  EXPECT_EQ(c.message(), "APPEND: over");
  EXPECT_EQ(b.message(), "over");
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ROOST_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, ValueAndError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "odd");
}

TEST(ResultTest, OkStatusBecomesInternal) {
  Result<int> r{Status::Ok()};
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace roost
