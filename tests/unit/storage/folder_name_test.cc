#include "storage/maildir/folder_name.h"

#include <gtest/gtest.h>

namespace roost::storage::maildir {
namespace {

const FolderNaming kCourier{.separator = '.', .inbox_prefixed = true};
const FolderNaming kFlat{.separator = '.', .inbox_prefixed = false};
const FolderNaming kSlash{.separator = '/', .inbox_prefixed = false};

std::string Dir(std::string_view name, const FolderNaming& n) {
  auto r = MailboxToDir(name, n);
  return r.has_value() ? *r : "<error: " + r.error().ToString() + ">";
}

TEST(FolderName, InboxIsTheMainMaildir) {
  EXPECT_EQ(Dir("INBOX", kCourier), "");
  EXPECT_EQ(Dir("inbox", kCourier), "");
  EXPECT_EQ(Dir("InBoX", kFlat), "");
  EXPECT_EQ(*DirToMailbox("", kCourier), "INBOX");
  EXPECT_EQ(*DirToMailbox("", kFlat), "INBOX");
}

TEST(FolderName, CourierPrefixedLayout) {
  EXPECT_EQ(Dir("INBOX.Sent.2002", kCourier), ".Sent.2002");
  EXPECT_EQ(Dir("inbox.Sent", kCourier), ".Sent");
  EXPECT_EQ(*DirToMailbox(".Sent.2002", kCourier), "INBOX.Sent.2002");
  auto outside = MailboxToDir("Sent", kCourier);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code(), Status::Code::kNotFound);
}

TEST(FolderName, FlatLayout) {
  EXPECT_EQ(Dir("Sent.2002", kFlat), ".Sent.2002");
  EXPECT_EQ(Dir("inbox.child", kFlat), ".INBOX.child");
  EXPECT_EQ(*DirToMailbox(".Sent.2002", kFlat), "Sent.2002");
  EXPECT_FALSE(DirToMailbox(".INBOX", kFlat).has_value());
  EXPECT_FALSE(DirToMailbox(".inbox", kFlat).has_value());
  EXPECT_FALSE(DirToMailbox(".inbox.x", kFlat).has_value());
  EXPECT_EQ(*DirToMailbox(".INBOX.x", kFlat), "INBOX.x");
  EXPECT_EQ(*DirToMailbox(".INBOX", kCourier), "INBOX.INBOX");
}

TEST(FolderName, SlashSeparator) {
  EXPECT_EQ(Dir("Sent/2002", kSlash), ".Sent.2002");
  EXPECT_EQ(*DirToMailbox(".Sent.2002", kSlash), "Sent/2002");
  EXPECT_FALSE(MailboxToDir("a.b/c", kSlash).has_value());
}

TEST(FolderName, RejectsEscapesAndBadComponents) {
  for (std::string_view bad : {"INBOX..x", "INBOX.", "INBOX.a.", "INBOX.a/b", "INBOX.~x",
                               "INBOX.a\tb", "INBOX.a\x7f", "INBOX.\xff", "INBOX.\xc0\xaf"}) {
    EXPECT_FALSE(MailboxToDir(bad, kCourier).has_value()) << bad;
  }
  EXPECT_FALSE(MailboxToDir(std::string("INBOX.a\0b", 9), kCourier).has_value());
  EXPECT_FALSE(MailboxToDir("..", kFlat).has_value());
  EXPECT_FALSE(MailboxToDir(".hidden", kFlat).has_value());
  EXPECT_FALSE(MailboxToDir("", kFlat).has_value());
  for (std::string_view bad : {"Sent", "..", ".a..b", ".a.", "./x", ".~a", ".a/b"}) {
    EXPECT_FALSE(DirToMailbox(bad, kCourier).has_value()) << bad;
  }
  EXPECT_TRUE(MailboxToDir("INBOX.a~b", kCourier).has_value());
}

TEST(FolderName, Utf8NamesAllowed) {
  EXPECT_EQ(Dir("INBOX.Entw\xc3\xbcrfe", kCourier), ".Entw\xc3\xbcrfe");
  EXPECT_EQ(*DirToMailbox(".Entw\xc3\xbcrfe", kCourier), "INBOX.Entw\xc3\xbcrfe");
}

TEST(FolderName, LengthLimitIsPerDirectoryName) {
  std::string c254(254, 'x');
  EXPECT_EQ(Dir("INBOX." + c254, kCourier), "." + c254);  // 255 bytes on disk
  EXPECT_FALSE(MailboxToDir("INBOX." + c254 + "y", kCourier).has_value());
  EXPECT_FALSE(MailboxToDir(std::string(100000, 'a'), kFlat).has_value());
}

TEST(FolderName, RoundTrip) {
  for (std::string_view name : {"INBOX.a", "INBOX.a.b.c", "INBOX.Entw\xc3\xbcrfe.x y"}) {
    auto dir = MailboxToDir(name, kCourier);
    ASSERT_TRUE(dir.has_value()) << name;
    EXPECT_EQ(*DirToMailbox(*dir, kCourier), name);
  }
}

}  // namespace
}  // namespace roost::storage::maildir
