#include "support/fault_fs.h"

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace roost::storage {
namespace {

class FaultFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_fault_fs_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_TRUE(fs_.Mkdir(P("tmp"), 0700).ok());
    ASSERT_TRUE(fs_.Mkdir(P("new"), 0700).ok());
    ASSERT_TRUE(fs_.SyncDir(dir_).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string P(const std::string& name) const { return dir_ + "/" + name; }
  bool Exists(const std::string& path) { return std::filesystem::exists(path); }
  std::string Read(const std::string& path) {
    auto data = Fs::Posix().ReadSmallFile(path, 1 << 20);
    return data.has_value() ? *data : "<" + data.error().ToString() + ">";
  }

  // Writes `synced` then fsyncs, then appends `unsynced` without fsync.
  void Write(const std::string& path, std::string_view synced, std::string_view unsynced) {
    auto file = fs_.CreateExclusive(path, 0600);
    ASSERT_TRUE(file.has_value());
    ASSERT_TRUE((*file)->Append(synced).ok());
    ASSERT_TRUE((*file)->Sync().ok());
    if (!unsynced.empty()) {
      ASSERT_TRUE((*file)->Append(unsynced).ok());
    }
    ASSERT_TRUE((*file)->Close().ok());
  }

  FaultFs fs_;
  std::string dir_;
};

TEST_F(FaultFsTest, UnsyncedAppendIsLostAfterCrash) {
  Write(P("tmp/a"), "durable", " lost");
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  EXPECT_EQ(Read(P("tmp/a")), "durable lost");
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("tmp/a")), "durable");
}

TEST_F(FaultFsTest, SyncedDataAndNamesAreKept) {
  Write(P("tmp/a"), "all of it", "");
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("tmp/a")), "all of it");
}

TEST_F(FaultFsTest, CreateInUnsyncedDirectoryIsUndone) {
  Write(P("tmp/a"), "data", "");  // file fsynced, directory not
  fs_.SimulateCrash();
  EXPECT_FALSE(Exists(P("tmp/a")));
}

TEST_F(FaultFsTest, RenameIntoUnsyncedDirectoryIsUndone) {
  Write(P("tmp/msg"), "message", "");
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  ASSERT_TRUE(fs_.Rename(P("tmp/msg"), P("new/msg")).ok());
  fs_.SimulateCrash();
  EXPECT_FALSE(Exists(P("new/msg")));
  EXPECT_EQ(Read(P("tmp/msg")), "message");
}

TEST_F(FaultFsTest, RenameIntoSyncedDirectoryIsKept) {
  Write(P("tmp/msg"), "message", "");
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  ASSERT_TRUE(fs_.Rename(P("tmp/msg"), P("new/msg")).ok());
  ASSERT_TRUE(fs_.SyncDir(P("new")).ok());
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("new/msg")), "message");
}

TEST_F(FaultFsTest, UndoneRenameOverExistingFileRestoresIt) {
  Write(P("new/cfg"), "old", "");
  ASSERT_TRUE(fs_.SyncDir(P("new")).ok());
  ASSERT_TRUE(fs_.ReplaceFile(P("new/cfg"), "new", /*sync_dir=*/false).ok());
  EXPECT_EQ(Read(P("new/cfg")), "new");
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("new/cfg")), "old");
  // With the directory fsync the replacement survives.
  ASSERT_TRUE(fs_.ReplaceFile(P("new/cfg"), "newer", /*sync_dir=*/true).ok());
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("new/cfg")), "newer");
}

TEST_F(FaultFsTest, UnlinkAndLinkInUnsyncedDirectoryAreUndone) {
  Write(P("new/a"), "A", "");
  ASSERT_TRUE(fs_.SyncDir(P("new")).ok());
  ASSERT_TRUE(fs_.Link(P("new/a"), P("tmp/b")).ok());
  ASSERT_TRUE(fs_.Unlink(P("new/a")).ok());
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("new/a")), "A");
  EXPECT_FALSE(Exists(P("tmp/b")));
}

TEST_F(FaultFsTest, MkdirInUnsyncedParentIsUndone) {
  ASSERT_TRUE(fs_.Mkdir(P("new/.Sub"), 0700).ok());
  Write(P("new/.Sub/f"), "x", "");
  ASSERT_TRUE(fs_.SyncDir(P("new/.Sub")).ok());
  fs_.SimulateCrash();
  EXPECT_FALSE(Exists(P("new/.Sub")));
}

TEST_F(FaultFsTest, InjectedEioOnSecondRename) {
  Write(P("tmp/1"), "1", "");
  Write(P("tmp/2"), "2", "");
  Write(P("tmp/3"), "3", "");
  fs_.FailNth(FsOp::kRename, 2, EIO);
  EXPECT_TRUE(fs_.Rename(P("tmp/1"), P("new/1")).ok());
  Status st = fs_.Rename(P("tmp/2"), P("new/2"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kIoError);
  EXPECT_EQ(st.sys_errno(), EIO);
  EXPECT_EQ(st.message(), "rename(" + P("tmp/2") + ", " + P("new/2") + ") failed: Input/output error");
  EXPECT_TRUE(Exists(P("tmp/2")));  // the failed call did not reach the disk
  EXPECT_FALSE(Exists(P("new/2")));
  EXPECT_TRUE(fs_.Rename(P("tmp/3"), P("new/3")).ok());  // one-shot
  EXPECT_EQ(fs_.Calls(FsOp::kRename), 3u);
}

TEST_F(FaultFsTest, CountsCallsPerOperation) {
  fs_.ResetCounts();
  Write(P("tmp/a"), "x", "y");
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  EXPECT_TRUE(fs_.Stat(P("tmp/a")).has_value());
  EXPECT_EQ(fs_.Calls(FsOp::kCreate), 1u);
  EXPECT_EQ(fs_.Calls(FsOp::kWrite), 2u);
  EXPECT_EQ(fs_.Calls(FsOp::kFsync), 1u);
  EXPECT_EQ(fs_.Calls(FsOp::kSyncDir), 1u);
  EXPECT_EQ(fs_.Calls(FsOp::kStat), 1u);
  EXPECT_EQ(fs_.Calls(FsOp::kRename), 0u);
  fs_.ResetCounts();
  EXPECT_EQ(fs_.Calls(FsOp::kWrite), 0u);
}

TEST_F(FaultFsTest, InjectedFsyncFailureOnWritableFile) {
  fs_.FailNth(FsOp::kFsync, 1, ENOSPC);
  auto file = fs_.CreateExclusive(P("tmp/f"), 0600);
  ASSERT_TRUE(file.has_value());
  ASSERT_TRUE((*file)->Append("abc").ok());
  Status st = (*file)->Sync();
  EXPECT_EQ(st.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(st.mail_error(), MailError::kTempFail);
  ASSERT_TRUE((*file)->Close().ok());
  ASSERT_TRUE(fs_.SyncDir(P("tmp")).ok());
  fs_.SimulateCrash();
  EXPECT_EQ(Read(P("tmp/f")), "");  // the failed fsync made nothing durable
}

}  // namespace
}  // namespace roost::storage
