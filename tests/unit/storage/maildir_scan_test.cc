#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/maildir/delivery.h"
#include "storage/maildir/folder_scan.h"
#include "support/fault_fs.h"

namespace roost::storage::maildir {
namespace {

namespace fs = std::filesystem;

class MaildirScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_scan_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directory(root_ + "/" + d);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Drops a file the way another Maildir program would: not through Fs.
  void Drop(const std::string& rel, const std::string& body) { std::ofstream(root_ + "/" + rel) << body; }
  std::vector<std::string> List(const std::string& rel) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(root_ + "/" + rel))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  FaultFs fs_;
  std::string root_;
};

TEST_F(MaildirScanTest, ReadsFlagsAndSizesFromNames) {
  Drop("cur/1000000001.M1P1.host,S=5:2,FS", "hello");
  Drop("cur/1000000002.M2P2.host,S=3,W=4:2,ATDB", "abc");
  Drop("cur/1000000003.M3P3.host:2,", "no size hint");
  Drop("new/1000000004.M4P4.other", "dropped by procmail");
  Drop("new/.hidden", "x");
  fs::create_directory(root_ + "/cur/subdir");

  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value()) << scan.error().ToString();
  ASSERT_EQ(scan->messages.size(), 4u);
  const ScannedMessage& n = scan->messages[0];
  EXPECT_EQ(n.dir, MessageDir::kNew);
  EXPECT_EQ(n.basename, "1000000004.M4P4.other");
  EXPECT_EQ(n.size, 19u);  // from stat: no ,S=
  EXPECT_TRUE(n.flags.empty());

  const ScannedMessage& c1 = scan->messages[1];
  EXPECT_EQ(c1.dir, MessageDir::kCur);
  EXPECT_EQ(c1.basename, "1000000001.M1P1.host,S=5");
  EXPECT_EQ(c1.filename, "1000000001.M1P1.host,S=5:2,FS");
  EXPECT_EQ(c1.flags, Flags(Flags::kFlagged | Flags::kSeen));
  EXPECT_EQ(c1.size, 5u);

  const ScannedMessage& c2 = scan->messages[2];
  EXPECT_EQ(c2.flags, Flags(Flags::kDeleted | Flags::kDraft));
  EXPECT_EQ(c2.unknown_flags, "AB");
  EXPECT_EQ(c2.size, 3u);
  EXPECT_EQ(scan->messages[3].size, 12u);

  EXPECT_GT(scan->new_mtime_ns, 0);
  EXPECT_GT(scan->cur_mtime_ns, 0);
}

TEST_F(MaildirScanTest, OneListingPerDirectoryAndNoStatWithSizeHints) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(DeliverMessage(fs_, root_, "body", std::nullopt, "h").has_value());
    ASSERT_TRUE(DeliverMessage(fs_, root_, "body", Flags(Flags::kSeen), "h").has_value());
  }
  fs_.ResetCounts();
  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value());
  EXPECT_EQ(scan->messages.size(), 20u);
  EXPECT_EQ(fs_.Calls(FsOp::kListDir), 2u);
  EXPECT_EQ(fs_.Calls(FsOp::kStat), 2u);  // new/ and cur/ themselves
}

TEST_F(MaildirScanTest, MtimeChangesWhenAnotherProgramDelivers) {
  auto before = ScanFolder(fs_, root_);
  ASSERT_TRUE(before.has_value());
  // Force a visible mtime step whatever the filesystem's granularity.
  Drop("new/1000000009.M9P9.elsewhere", "x");
  fs::last_write_time(root_ + "/new", fs::last_write_time(root_ + "/new") + std::chrono::seconds(5));
  auto after = ScanFolder(fs_, root_);
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(after->new_mtime_ns, before->new_mtime_ns);
  EXPECT_EQ(after->cur_mtime_ns, before->cur_mtime_ns);
  ASSERT_EQ(after->messages.size(), 1u);
  EXPECT_EQ(after->messages[0].basename, "1000000009.M9P9.elsewhere");
}

TEST_F(MaildirScanTest, MissingCurIsNotFound) {
  fs::remove(root_ + "/cur");
  EXPECT_EQ(ScanFolder(fs_, root_).status().code(), Status::Code::kNotFound);
}

TEST_F(MaildirScanTest, MoveNewToCurInBatches) {
  std::vector<std::string> names;
  for (int i = 0; i < 45; ++i) {
    std::string name = std::to_string(1000000000 + i) + ".M1P1.h,S=1";
    Drop("new/" + name, "x");
    names.push_back(name);
  }
  Drop("new/1000000100.M1P1.h:2,S", "x");  // odd: already has info
  names.push_back("1000000100.M1P1.h:2,S");
  names.push_back("1000000200.M1P1.gone");  // moved by someone else
  fs_.ResetCounts();
  auto moved = MoveNewToCur(fs_, root_, names);
  ASSERT_TRUE(moved.has_value()) << moved.error().ToString();
  EXPECT_EQ(moved->size(), 46u);
  EXPECT_EQ((*moved)[0].to_name, names[0] + ":2,");
  EXPECT_EQ((*moved)[45].to_name, "1000000100.M1P1.h:2,S");
  EXPECT_EQ(fs_.Calls(FsOp::kSyncDir), 3u);  // 20 + 20 + 6
  EXPECT_TRUE(List("new").empty());
  EXPECT_EQ(List("cur").size(), 46u);
  fs_.SimulateCrash();
  EXPECT_EQ(List("cur").size(), 46u);

  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value());
  EXPECT_EQ(scan->messages[0].dir, MessageDir::kCur);
  EXPECT_EQ(scan->messages[0].basename, names[0]);
}

TEST_F(MaildirScanTest, MoveStopsOnError) {
  Drop("new/1000000001.M1P1.h", "x");
  Drop("new/1000000002.M1P1.h", "x");
  std::vector<std::string> names = {"1000000001.M1P1.h", "1000000002.M1P1.h"};
  fs_.FailNth(FsOp::kRename, 2, EIO);
  EXPECT_FALSE(MoveNewToCur(fs_, root_, names).has_value());
  EXPECT_EQ(List("new"), std::vector<std::string>{"1000000002.M1P1.h"});
}

}  // namespace
}  // namespace roost::storage::maildir
