#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/maildir/delivery.h"
#include "storage/maildir/maildir_filename.h"
#include "storage/maildir/maildir_layout.h"
#include "support/fault_fs.h"

namespace roost::storage::maildir {
namespace {

namespace fs = std::filesystem;

class MaildirDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_deliver_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directory(root_ + "/" + d);
    MaildirLayout layout(fs_, root_);
    ASSERT_TRUE(layout.CreateFolder("INBOX.Sent").ok());
    sent_ = root_ + "/.Sent";
    fs_.ResetCounts();
  }
  void TearDown() override { fs::remove_all(root_); }

  std::vector<std::string> List(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string Read(const std::string& path) {
    auto data = Fs::Posix().ReadSmallFile(path, 1 << 20);
    return data.has_value() ? *data : "<" + data.error().ToString() + ">";
  }

  FaultFs fs_;
  std::string root_, sent_;
};

TEST_F(MaildirDeliveryTest, NoFlagsGoesToNewWithSizeInName) {
  const std::string msg = "Subject: hi\n\nbody\n";
  auto d = DeliverMessage(fs_, root_, msg, std::nullopt, "mx.example");
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_FALSE(d->in_cur);
  EXPECT_EQ(d->name, d->basename);
  EXPECT_EQ(d->size, msg.size());
  EXPECT_EQ(d->path, root_ + "/new/" + d->name);
  EXPECT_EQ(List(root_ + "/new"), std::vector<std::string>{d->name});
  EXPECT_TRUE(List(root_ + "/tmp").empty());
  EXPECT_EQ(Read(d->path), msg);
  auto parsed = ParseMaildirFilename(d->name);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_FALSE(parsed->has_info);
  EXPECT_EQ(parsed->size, msg.size());
  EXPECT_NE(d->name.find(".mx.example,S=" + std::to_string(msg.size())), std::string::npos) << d->name;
  EXPECT_NE(d->name.find('V'), std::string::npos);  // dev/ino of the tmp file
  // One file sync, one directory sync.
  EXPECT_EQ(fs_.Calls(FsOp::kFsync), 1u);
  EXPECT_EQ(fs_.Calls(FsOp::kSyncDir), 1u);
}

TEST_F(MaildirDeliveryTest, FlagsGoToCurWithInfo) {
  auto d = DeliverMessage(fs_, sent_, "x", Flags(Flags::kSeen | Flags::kFlagged), "h");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->in_cur);
  EXPECT_EQ(d->name, d->basename + ":2,FS");
  EXPECT_EQ(List(sent_ + "/cur"), std::vector<std::string>{d->name});
  auto empty = DeliverMessage(fs_, sent_, "y", Flags(), "h");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->name, empty->basename + ":2,");
  EXPECT_NE(d->basename, empty->basename);
}

TEST_F(MaildirDeliveryTest, HostnameCannotEscape) {
  auto d = DeliverMessage(fs_, root_, "x", std::nullopt, "a/b:c");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->name.find('/'), std::string::npos);
  EXPECT_EQ(d->name.find(':'), std::string::npos);
  EXPECT_EQ(List(root_ + "/new").size(), 1u);
}

TEST_F(MaildirDeliveryTest, RetriesOnNameCollision) {
  fs_.FailNth(FsOp::kCreate, 1, EEXIST);
  auto d = DeliverMessage(fs_, root_, "x", std::nullopt, "h");
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(fs_.Calls(FsOp::kCreate), 2u);
}

TEST_F(MaildirDeliveryTest, FailedSyncLeavesNothing) {
  fs_.FailNth(FsOp::kFsync, 1, EIO);
  EXPECT_FALSE(DeliverMessage(fs_, root_, "x", std::nullopt, "h").has_value());
  EXPECT_TRUE(List(root_ + "/new").empty());
  EXPECT_TRUE(List(root_ + "/tmp").empty());
}

TEST_F(MaildirDeliveryTest, BatchSyncsEachDirectoryOnce) {
  std::vector<std::string> bodies;
  for (int i = 0; i < 8; ++i) bodies.push_back("message " + std::to_string(i) + "\n");
  std::vector<DeliveryItem> items;
  for (int i = 0; i < 5; ++i) items.push_back({root_, bodies[i], std::nullopt});
  for (int i = 5; i < 8; ++i) items.push_back({sent_, bodies[i], Flags(Flags::kSeen)});
  auto results = DeliverBatch(fs_, items, "h");
  ASSERT_EQ(results.size(), 8u);
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].has_value()) << i;
    EXPECT_EQ(Read(results[i]->path), bodies[i]);
  }
  EXPECT_EQ(fs_.Calls(FsOp::kFsync), 8u);  // one per file
  EXPECT_EQ(fs_.Calls(FsOp::kRename), 8u);
  EXPECT_EQ(fs_.Calls(FsOp::kSyncDir), 2u);  // INBOX new/ and .Sent/cur/, once each
  EXPECT_EQ(List(root_ + "/new").size(), 5u);
  EXPECT_EQ(List(sent_ + "/cur").size(), 3u);
}

TEST_F(MaildirDeliveryTest, BatchItemsFailIndependently) {
  std::vector<DeliveryItem> items = {
      {root_, "a", std::nullopt}, {root_, "b", std::nullopt}, {root_, "c", std::nullopt}};
  fs_.FailNth(FsOp::kWrite, 2, ENOSPC);
  auto results = DeliverBatch(fs_, items, "h");
  EXPECT_TRUE(results[0].has_value());
  ASSERT_FALSE(results[1].has_value());
  EXPECT_EQ(results[1].error().code(), Status::Code::kResourceExhausted);
  EXPECT_TRUE(results[2].has_value());
  EXPECT_EQ(List(root_ + "/new").size(), 2u);
  EXPECT_TRUE(List(root_ + "/tmp").empty());
}

TEST_F(MaildirDeliveryTest, AcknowledgedSurviveCrashUnacknowledgedNeverAppear) {
  const std::string big(64 * 1024, 'z');
  auto a = DeliverMessage(fs_, root_, "first\n", std::nullopt, "h");
  auto b = DeliverMessage(fs_, sent_, big, Flags(Flags::kSeen), "h");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  // c: written and renamed into new/, but the directory fsync fails, so it
  // is never acknowledged.
  fs_.FailNth(FsOp::kSyncDir, 1, EIO);
  EXPECT_FALSE(DeliverMessage(fs_, root_, "third\n", std::nullopt, "h").has_value());
  // d: the batch's second directory fsync fails; its first target is fine.
  std::vector<DeliveryItem> items = {{root_, "fourth\n", std::nullopt}, {sent_, "fifth\n", Flags()}};
  fs_.FailNth(FsOp::kSyncDir, 2, EIO);
  auto batch = DeliverBatch(fs_, items, "h");
  ASSERT_TRUE(batch[0].has_value());
  ASSERT_FALSE(batch[1].has_value());

  fs_.SimulateCrash();
  EXPECT_EQ(List(root_ + "/new"),
            (std::vector<std::string>{std::min(a->name, batch[0]->name), std::max(a->name, batch[0]->name)}));
  EXPECT_EQ(List(sent_ + "/cur"), std::vector<std::string>{b->name});
  EXPECT_EQ(Read(a->path), "first\n");
  EXPECT_EQ(Read(b->path), big);
  EXPECT_EQ(Read(batch[0]->path), "fourth\n");
}

TEST_F(MaildirDeliveryTest, FailedRenameLeavesNothingAfterCrash) {
  // The rename fails after the file sync: the
  // unsynced tmp/ entry vanishes and new/ never saw a partial file.
  fs_.FailNth(FsOp::kRename, 1, EIO);
  EXPECT_FALSE(DeliverMessage(fs_, root_, "partial", std::nullopt, "h").has_value());
  fs_.SimulateCrash();
  EXPECT_TRUE(List(root_ + "/new").empty());
  EXPECT_TRUE(List(root_ + "/cur").empty());
  EXPECT_TRUE(List(root_ + "/tmp").empty());
}

}  // namespace
}  // namespace roost::storage::maildir
