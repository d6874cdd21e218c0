#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/maildir/courier_uiddb.h"
#include "storage/maildir/maildir_layout.h"
#include "storage/maildir/uid_assign.h"
#include "support/fault_fs.h"
#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

namespace fs = std::filesystem;
using testing::ReadFixture;

ScannedMessage Msg(std::string basename, MessageDir dir = MessageDir::kCur) {
  ScannedMessage m;
  m.filename = dir == MessageDir::kCur ? basename + ":2,S" : basename;
  m.basename = std::move(basename);
  m.dir = dir;
  return m;
}

std::vector<UidEntry> Entries(std::initializer_list<std::pair<uint32_t, const char*>> list) {
  std::vector<UidEntry> out;
  for (auto& [uid, name] : list) out.push_back(UidEntry{uid, name});
  return out;
}

TEST(UidAssignTest, KeepsCourierUidsDropsVanishedAddsInArrivalOrder) {
  auto courier = ParseCourierUidDb(ReadFixture("courierimapuiddb"));
  ASSERT_TRUE(courier.has_value());
  const std::string b1 =
      "1700000000.M123456P4242V0000000000000803I00000000000a1b2c_0.mail.example.com,S=2048";
  const std::string b5 = "1700000100.M77P100.host\\0572,S=512";
  std::vector<ScannedMessage> scan = {Msg(b5), Msg("1700000200.M1P1.h", MessageDir::kNew), Msg(b1),
                                      Msg("999999999.M1P1.h")};
  UidAssignment a = AssignUids(*courier, scan, 4242);
  EXPECT_EQ(a.list.uidvalidity, 733843200u);  // preserved
  EXPECT_EQ(a.list.nextuid, 8u);
  EXPECT_EQ(a.list.entries,
            (Entries({{1, b1.c_str()}, {5, b5.c_str()}, {6, "999999999.M1P1.h"}, {7, "1700000200.M1P1.h"}})));
  EXPECT_TRUE(a.changed);
  EXPECT_FALSE(a.new_validity);
  EXPECT_EQ(a.added, 2u);
  EXPECT_EQ(a.removed, 1u);
}

TEST(UidAssignTest, UnchangedFolderNeedsNoWrite) {
  UidList list{77, 4, Entries({{1, "1.a"}, {3, "3.c"}})};
  std::vector<ScannedMessage> scan = {Msg("3.c"), Msg("1.a", MessageDir::kNew)};
  UidAssignment a = AssignUids(list, scan, 1);
  EXPECT_FALSE(a.changed);
  EXPECT_EQ(a.list, list);
}

TEST(UidAssignTest, FreshListUsesNewUidValidity) {
  std::vector<ScannedMessage> scan = {Msg("1000000002.x"), Msg("1000000001.y"), Msg("1000000001.x")};
  UidAssignment a = AssignUids(std::nullopt, scan, NewUidValidity(1'700'000'000));
  EXPECT_EQ(a.list.uidvalidity, 700'000'000u);
  EXPECT_EQ(a.list.nextuid, 4u);
  EXPECT_EQ(a.list.entries, (Entries({{1, "1000000001.x"}, {2, "1000000001.y"}, {3, "1000000002.x"}})));
  EXPECT_TRUE(a.new_validity);
  EXPECT_TRUE(a.changed);
}

TEST(UidAssignTest, SameBasenameInNewAndCurGetsOneUid) {
  std::vector<ScannedMessage> scan = {Msg("5.a", MessageDir::kNew), Msg("5.a", MessageDir::kCur)};
  UidAssignment a = AssignUids(UidList{9, 1, {}}, scan, 1);
  EXPECT_EQ(a.list.entries, (Entries({{1, "5.a"}})));
}

TEST(UidAssignTest, ExhaustedUidSpaceStartsAfresh) {
  UidList list{9, 0xFFFFFFFEu, Entries({{1, "1.a"}})};
  std::vector<ScannedMessage> scan = {Msg("1.a"), Msg("2.b"), Msg("3.c")};
  UidAssignment a = AssignUids(list, scan, 12345);
  EXPECT_TRUE(a.new_validity);
  EXPECT_EQ(a.list.uidvalidity, 12345u);
  EXPECT_EQ(a.list.entries, (Entries({{1, "1.a"}, {2, "2.b"}, {3, "3.c"}})));
}

class UidListFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_uids_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directory(root_ + "/" + d);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Put(const std::string& rel, const std::string& body) { std::ofstream(root_ + "/" + rel) << body; }

  FaultFs fs_;
  std::string root_;
};

TEST_F(UidListFilesTest, NoFilesMeansNoList) {
  auto loaded = LoadUidList(fs_, root_);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_FALSE(loaded->list.has_value());
  EXPECT_EQ(loaded->source, UidListSource::kNone);
  EXPECT_FALSE(loaded->discarded.has_value());
}

TEST_F(UidListFilesTest, CourierWinsOverDovecot) {
  Put("courierimapuiddb", ReadFixture("courierimapuiddb"));
  Put("dovecot-uidlist", ReadFixture("dovecot-uidlist-v3"));
  auto loaded = LoadUidList(fs_, root_);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->source, UidListSource::kCourier);
  EXPECT_EQ(loaded->list->uidvalidity, 733843200u);
}

TEST_F(UidListFilesTest, CorruptCourierDbIsDiscarded) {
  Put("courierimapuiddb", "1 5 3\n2 a\n1 b\n");  // descending: damage
  Put("dovecot-uidlist", ReadFixture("dovecot-uidlist-v3"));
  auto loaded = LoadUidList(fs_, root_);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_FALSE(loaded->list.has_value());
  ASSERT_TRUE(loaded->discarded.has_value());
  EXPECT_EQ(loaded->discarded->code(), Status::Code::kCorruption);
}

TEST_F(UidListFilesTest, DovecotTreeKeepsUidsAndBecomesCourier) {
  Put("dovecot-uidlist", ReadFixture("dovecot-uidlist-v3"));
  Put("cur/1606213467.M1P1.host,S=100,W=103:2,", "x");
  Put("cur/1606213600.M3P3.host,S=10,W=12:2,FSab", "x");
  Put("new/1606213700.M4P4.host", "arrived later");
  auto loaded = LoadUidList(fs_, root_);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->source, UidListSource::kDovecot);
  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value());
  UidAssignment a = AssignUids(loaded->list, scan->messages, 1);
  EXPECT_EQ(a.list.uidvalidity, 1606213467u);
  EXPECT_EQ(a.list.nextuid, 13u);
  EXPECT_EQ(a.list.entries, (Entries({{1, "1606213467.M1P1.host,S=100,W=103"},
                                      {7, "1606213600.M3P3.host,S=10,W=12"},
                                      {12, "1606213700.M4P4.host"}})));
  EXPECT_EQ(a.removed, 2u);

  ASSERT_TRUE(WriteCourierUidList(fs_, root_, a.list).ok());
  fs_.SimulateCrash();  // written with tmp + rename + directory fsync
  auto reloaded = LoadUidList(fs_, root_);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->source, UidListSource::kCourier);
  EXPECT_EQ(*reloaded->list, a.list);
  EXPECT_TRUE(fs::exists(root_ + "/dovecot-uidlist"));  // never modified
}

TEST_F(UidListFilesTest, RefreshWritesOnlyWhenChanged) {
  Put("cur/1000000001.M1P1.h:2,S", "x");
  Put("new/1000000002.M1P1.h", "x");
  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value());
  auto first = RefreshUids(fs_, root_, scan->messages, 1'700'000'000);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->new_validity);
  EXPECT_EQ(first->list.uidvalidity, 700'000'000u);
  auto on_disk = Fs::Posix().ReadSmallFile(root_ + "/courierimapuiddb", 1 << 16);
  ASSERT_TRUE(on_disk.has_value());
  EXPECT_EQ(*on_disk, "1 700000000 3\n1 1000000001.M1P1.h\n2 1000000002.M1P1.h\n");

  fs_.ResetCounts();
  auto second = RefreshUids(fs_, root_, scan->messages, 1'800'000'000);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->changed);
  EXPECT_EQ(second->list, first->list);  // UIDVALIDITY kept, not re-derived
  EXPECT_EQ(fs_.Calls(FsOp::kReplaceFile), 0u);
}

TEST_F(UidListFilesTest, RefreshOfReadOnlyFolderStillServesUids) {
  Put("cur/1000000001.M1P1.h:2,S", "x");
  auto scan = ScanFolder(fs_, root_);
  ASSERT_TRUE(scan.has_value());
  fs_.FailNth(FsOp::kReplaceFile, 1, EACCES);
  auto a = RefreshUids(fs_, root_, scan->messages, 1'700'000'000);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->list.entries.size(), 1u);
  EXPECT_FALSE(fs::exists(root_ + "/courierimapuiddb"));
}

}  // namespace
}  // namespace roost::storage::maildir
