#include "storage/maildir/maildir_layout.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/posix_fs.h"
#include "support/fault_fs.h"

namespace roost::storage::maildir {
namespace {

namespace fs = std::filesystem;

class MaildirLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_layout_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directory(root_ + "/" + d);
  }
  void TearDown() override { fs::remove_all(root_); }

  bool IsDir(const std::string& rel) { return fs::is_directory(root_ + "/" + rel); }
  std::vector<std::string> Names(const MaildirLayout& layout) {
    auto list = layout.ListFolders();
    EXPECT_TRUE(list.has_value());
    std::vector<std::string> out;
    if (!list.has_value()) return out;
    for (const FolderInfo& f : *list) out.push_back(f.mailbox + (f.selectable ? "" : "*"));
    return out;
  }

  FaultFs fs_;
  std::string root_;
};

TEST_F(MaildirLayoutTest, PathsForInboxAndFolders) {
  MaildirLayout layout(fs_, root_);
  EXPECT_EQ(*layout.FolderPath("INBOX"), root_);
  EXPECT_EQ(*layout.FolderPath("inbox"), root_);
  EXPECT_EQ(*layout.FolderPath("INBOX.Sent.2002"), root_ + "/.Sent.2002");
  EXPECT_EQ(CurPath(root_ + "/.Sent"), root_ + "/.Sent/cur");
  EXPECT_EQ(CourierUidDbPath(root_), root_ + "/courierimapuiddb");
  EXPECT_EQ(CourierKeywordsPath(root_), root_ + "/courierimapkeywords");
  EXPECT_EQ(DovecotUidListPath(root_), root_ + "/dovecot-uidlist");
  EXPECT_EQ(DovecotKeywordsPath(root_), root_ + "/dovecot-keywords");
  EXPECT_EQ(layout.SubscribedPath(), root_ + "/courierimapsubscribed");
  EXPECT_EQ(layout.MaildirsizePath(), root_ + "/maildirsize");

  MaildirLayout slash(fs_, root_, FolderNaming{'/', false});
  EXPECT_EQ(*slash.FolderPath("Sent/2002"), root_ + "/.Sent.2002");
}

TEST_F(MaildirLayoutTest, CreateMakesFolderAndSyncsParent) {
  MaildirLayout layout(fs_, root_);
  ASSERT_TRUE(layout.CreateFolder("INBOX.Sent").ok());
  EXPECT_TRUE(IsDir(".Sent/tmp"));
  EXPECT_TRUE(IsDir(".Sent/new"));
  EXPECT_TRUE(IsDir(".Sent/cur"));
  EXPECT_TRUE(fs::is_regular_file(root_ + "/.Sent/maildirfolder"));
  EXPECT_EQ(fs::file_size(root_ + "/.Sent/maildirfolder"), 0u);
  EXPECT_EQ(layout.CreateFolder("INBOX.Sent").code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(layout.CreateFolder("INBOX").code(), Status::Code::kAlreadyExists);
  // Durable: the root was fsynced, so the folder survives a crash.
  fs_.SimulateCrash();
  EXPECT_TRUE(IsDir(".Sent/cur"));
}

TEST_F(MaildirLayoutTest, CreateCompletesHalfMadeFolder) {
  fs::create_directories(root_ + "/.Half/tmp");
  MaildirLayout layout(fs_, root_);
  EXPECT_EQ(Names(layout), (std::vector<std::string>{"INBOX"}));
  ASSERT_TRUE(layout.CreateFolder("INBOX.Half").ok());
  EXPECT_EQ(Names(layout), (std::vector<std::string>{"INBOX", "INBOX.Half"}));
}

TEST_F(MaildirLayoutTest, RejectsNamesThatEscapeTheRoot) {
  MaildirLayout layout(fs_, root_);
  for (std::string bad : {std::string("INBOX..x"), std::string("INBOX.a/../../etc"), std::string("INBOX./x"),
                          std::string("INBOX.a\0b", 9), std::string("INBOX."), std::string("INBOX.~x"),
                          std::string("INBOX.a\nb")}) {
    EXPECT_FALSE(layout.CreateFolder(bad).ok()) << bad;
    EXPECT_FALSE(layout.FolderPath(bad).has_value()) << bad;
  }
  MaildirLayout slash(fs_, root_, FolderNaming{'/', false});
  EXPECT_FALSE(slash.CreateFolder("..").ok());
  EXPECT_FALSE(slash.CreateFolder("a/..").ok());
  EXPECT_FALSE(slash.CreateFolder("a.b").ok());
  EXPECT_EQ(layout.RenameFolder("INBOX.x", "INBOX..y").status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(layout.DeleteFolder("INBOX.a/..").ok());
  // Nothing was created anywhere.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(root_)) n += e.path().filename().string()[0] == '.';
  EXPECT_EQ(n, 0u);
}

TEST_F(MaildirLayoutTest, DeleteRemovesOnlyTheFolderItself) {
  MaildirLayout layout(fs_, root_);
  ASSERT_TRUE(layout.CreateFolder("INBOX.a").ok());
  ASSERT_TRUE(layout.CreateFolder("INBOX.a.b").ok());
  fs::create_directory(root_ + "/.a/courierimapkeywords");
  std::ofstream(root_ + "/.a/cur/1.M1P1.h:2,S") << "x";
  std::ofstream(root_ + "/.a/courierimapkeywords/:list") << "k\n";
  ASSERT_TRUE(layout.DeleteFolder("INBOX.a").ok());
  EXPECT_FALSE(fs::exists(root_ + "/.a"));
  EXPECT_TRUE(IsDir(".a.b/cur"));
  EXPECT_TRUE(fs::is_empty(root_ + "/tmp"));
  EXPECT_EQ(Names(layout), (std::vector<std::string>{"INBOX", "INBOX.a*", "INBOX.a.b"}));
  EXPECT_EQ(layout.DeleteFolder("INBOX.a").code(), Status::Code::kNotFound);
  EXPECT_EQ(layout.DeleteFolder("INBOX").code(), Status::Code::kInvalidArgument);
}

TEST_F(MaildirLayoutTest, RenameMovesDescendants) {
  MaildirLayout layout(fs_, root_);
  for (const char* n : {"INBOX.a", "INBOX.a.b", "INBOX.a.b.c", "INBOX.ab", "INBOX.z"}) {
    ASSERT_TRUE(layout.CreateFolder(n).ok()) << n;
  }
  auto renames = layout.RenameFolder("INBOX.a", "INBOX.x.y");
  ASSERT_TRUE(renames.has_value()) << renames.error().ToString();
  ASSERT_EQ(renames->size(), 3u);
  EXPECT_EQ((*renames)[0].from_dir, ".a");
  EXPECT_EQ((*renames)[0].to_dir, ".x.y");
  EXPECT_EQ((*renames)[1].from_mailbox, "INBOX.a.b");
  EXPECT_EQ((*renames)[1].to_mailbox, "INBOX.x.y.b");
  EXPECT_EQ((*renames)[2].to_dir, ".x.y.b.c");
  EXPECT_EQ(Names(layout), (std::vector<std::string>{"INBOX", "INBOX.ab", "INBOX.x*", "INBOX.x.y",
                                                     "INBOX.x.y.b", "INBOX.x.y.b.c", "INBOX.z"}));
  fs_.SimulateCrash();  // the root was fsynced once at the end
  EXPECT_TRUE(IsDir(".x.y.b.c/cur"));
}

TEST_F(MaildirLayoutTest, RenameRefusals) {
  MaildirLayout layout(fs_, root_);
  ASSERT_TRUE(layout.CreateFolder("INBOX.a").ok());
  ASSERT_TRUE(layout.CreateFolder("INBOX.a.b").ok());
  ASSERT_TRUE(layout.CreateFolder("INBOX.c.b").ok());
  EXPECT_EQ(layout.RenameFolder("INBOX.a", "INBOX.c").status().code(), Status::Code::kAlreadyExists);
  EXPECT_TRUE(IsDir(".a/cur"));  // checked before anything moved
  EXPECT_EQ(layout.RenameFolder("INBOX.a", "INBOX.a.q").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(layout.RenameFolder("INBOX", "INBOX.q").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(layout.RenameFolder("INBOX.nope", "INBOX.q").status().code(), Status::Code::kNotFound);
  // An implied parent can be renamed: its children move.
  auto r = layout.RenameFolder("INBOX.c", "INBOX.d");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(IsDir(".d.b/cur"));
}

TEST_F(MaildirLayoutTest, RenameFailureRollsBack) {
  MaildirLayout layout(fs_, root_);
  ASSERT_TRUE(layout.CreateFolder("INBOX.a").ok());
  ASSERT_TRUE(layout.CreateFolder("INBOX.a.b").ok());
  fs_.FailNth(FsOp::kRename, 2, EIO);
  EXPECT_FALSE(layout.RenameFolder("INBOX.a", "INBOX.x").has_value());
  EXPECT_TRUE(IsDir(".a/cur"));
  EXPECT_TRUE(IsDir(".a.b/cur"));
  EXPECT_FALSE(fs::exists(root_ + "/.x"));
}

TEST_F(MaildirLayoutTest, ListSkipsJunk) {
  fs::create_directories(root_ + "/.ok/cur");
  fs::create_directories(root_ + "/.nocur/new");
  fs::create_directories(root_ + "/.bad..x/cur");
  fs::create_directories(root_ + "/plain/cur");
  std::ofstream(root_ + "/.file") << "x";
  MaildirLayout layout(fs_, root_);
  EXPECT_EQ(Names(layout), (std::vector<std::string>{"INBOX", "INBOX.ok"}));
}

TEST_F(MaildirLayoutTest, DeleteOfSymlinkedFolderLeavesTargetAlone) {
  fs::create_directories(root_ + "/elsewhere/cur");
  std::ofstream(root_ + "/elsewhere/cur/1.M1P1.h") << "keep me";
  fs::create_directory_symlink(root_ + "/elsewhere", root_ + "/.Linked");
  MaildirLayout layout(fs_, root_);
  ASSERT_TRUE(layout.DeleteFolder("INBOX.Linked").ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(root_ + "/.Linked")));
  EXPECT_TRUE(fs::exists(root_ + "/elsewhere/cur/1.M1P1.h"));
}

TEST_F(MaildirLayoutTest, PurgeTmpRemovesOnlyOldEntries) {
  std::ofstream(root_ + "/tmp/old") << "x";
  std::ofstream(root_ + "/tmp/young") << "x";
  fs::create_directories(root_ + "/tmp/123.deleted.Gone/cur");
  std::ofstream(root_ + "/tmp/123.deleted.Gone/cur/m") << "x";
  fs::create_directories(root_ + "/elsewhere");
  std::ofstream(root_ + "/elsewhere/keep") << "x";
  fs::create_directory_symlink(root_ + "/elsewhere", root_ + "/tmp/link");
  auto old_time = fs::last_write_time(root_ + "/tmp/young") - std::chrono::hours(48);
  for (const char* n : {"old", "123.deleted.Gone"}) fs::last_write_time(root_ + "/tmp/" + n, old_time);
  fs::last_write_time(root_ + "/elsewhere", old_time);  // the link's target looks old too

  auto st = fs_.Stat(root_ + "/tmp/young");
  ASSERT_TRUE(st.has_value());
  auto removed = PurgeTmp(fs_, root_, st->mtime_ns);
  ASSERT_TRUE(removed.has_value()) << removed.error().ToString();
  EXPECT_EQ(*removed, 3u);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(root_ + "/tmp")) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"young"});
  EXPECT_TRUE(fs::exists(root_ + "/elsewhere/keep"));  // link removed, not followed
}

}  // namespace
}  // namespace roost::storage::maildir
