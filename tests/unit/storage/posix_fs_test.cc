#include "storage/posix_fs.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace roost::storage {
namespace {

class PosixFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost_posix_fs_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string P(const std::string& name) const { return dir_ + "/" + name; }

  void WriteFile(const std::string& path, std::string_view data) {
    auto file = fs_.CreateExclusive(path, 0600);
    ASSERT_TRUE(file.has_value()) << file.error().ToString();
    ASSERT_TRUE((*file)->Append(data).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }

  // True when a fresh descriptor could take the lock right now.
  bool CanLockNow(const std::string& path, bool exclusive) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    bool ok = ::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0;
    int err = errno;
    if (!ok) {
      EXPECT_EQ(err, EWOULDBLOCK);
    }
    ::close(fd);
    return ok;
  }

  PosixFs fs_;
  std::string dir_;
};

TEST_F(PosixFsTest, PosixReturnsOneInstance) { EXPECT_EQ(&Fs::Posix(), &Fs::Posix()); }

TEST_F(PosixFsTest, RenameMissingFileIsNotFoundWithDovecotStyleMessage) {
  Status st = fs_.Rename("a", "b");  // relative: cwd has no "a"
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_EQ(st.sys_errno(), ENOENT);
  EXPECT_EQ(st.message(), "rename(a, b) failed: No such file or directory");
}

TEST_F(PosixFsTest, ErrnoMapping) {
  WriteFile(P("f"), "x");
  auto dup = fs_.CreateExclusive(P("f"), 0600);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(dup.error().message(), "open(" + P("f") + ") failed: File exists");

  EXPECT_EQ(fs_.Mkdir(P("d"), 0700).code(), Status::Code::kOk);
  EXPECT_EQ(fs_.Mkdir(P("d"), 0700).code(), Status::Code::kAlreadyExists);
  WriteFile(P("d/child"), "y");
  EXPECT_EQ(fs_.Rmdir(P("d")).code(), Status::Code::kAlreadyExists);  // ENOTEMPTY
  EXPECT_EQ(fs_.Unlink(P("nope")).code(), Status::Code::kNotFound);
  EXPECT_EQ(fs_.Stat(P("nope")).error().message(), "stat(" + P("nope") + ") failed: No such file or directory");
  EXPECT_EQ(fs_.Link(P("f"), P("d/child")).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(fs_.OpenRead(P("nope")).error().code(), Status::Code::kNotFound);
  EXPECT_EQ(fs_.SyncDir(P("nope")).code(), Status::Code::kNotFound);
  EXPECT_EQ(fs_.ListDir(P("f")).error().code(), Status::Code::kNotFound);  // ENOTDIR
}

TEST_F(PosixFsTest, WriteReadStatAndLink) {
  auto file = fs_.CreateExclusive(P("m"), 0640);
  ASSERT_TRUE(file.has_value());
  ASSERT_TRUE((*file)->Append("hello ").ok());
  ASSERT_TRUE((*file)->Append("world").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  auto st = (*file)->Stat();
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->size, 11u);
  EXPECT_FALSE(st->is_dir);
  EXPECT_EQ(st->mode & 0777, 0640u);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_TRUE((*file)->Close().ok());  // idempotent

  ASSERT_TRUE(fs_.Link(P("m"), P("m2")).ok());
  auto a = fs_.Stat(P("m"));
  auto b = fs_.Stat(P("m2"));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->ino, b->ino);

  auto in = fs_.OpenRead(P("m2"));
  ASSERT_TRUE(in.has_value());
  char buf[16];
  auto n = (*in)->ReadAt(6, std::span<char>(buf, sizeof(buf)));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(std::string(buf, *n), "world");
  auto end = (*in)->ReadAt(11, std::span<char>(buf, sizeof(buf)));
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(*end, 0u);
}

TEST_F(PosixFsTest, ReadSmallFileLimit) {
  WriteFile(P("s"), std::string(100, 'x'));
  auto ok = fs_.ReadSmallFile(P("s"), 100);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->size(), 100u);
  auto big = fs_.ReadSmallFile(P("s"), 99);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code(), Status::Code::kResourceExhausted);
}

TEST_F(PosixFsTest, ReplaceFileIsAtomicAndLeavesNoTemporaries) {
  WriteFile(P("cfg"), "old");
  ASSERT_TRUE(fs_.ReplaceFile(P("cfg"), "new contents", /*sync_dir=*/true).ok());
  ASSERT_TRUE(fs_.ReplaceFile(P("cfg"), "newer", /*sync_dir=*/false).ok());
  EXPECT_EQ(*fs_.ReadSmallFile(P("cfg"), 1024), "newer");
  auto list = fs_.ListDir(dir_);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "cfg");
}

TEST_F(PosixFsTest, ReplaceFileFailureKeepsOldFileAndCleansUp) {
  WriteFile(P("cfg"), "old");
  // Renaming a file over a non-empty directory fails (EISDIR); the old
  // target and the directory must be untouched and the temporary gone.
  ASSERT_TRUE(fs_.Mkdir(P("dirtarget"), 0700).ok());
  WriteFile(P("dirtarget/x"), "x");
  Status st = fs_.ReplaceFile(P("dirtarget"), "data", true);
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(st.message().starts_with("rename(" + P("dirtarget") + ".tmp.")) << st.message();
  auto list = fs_.ListDir(dir_);
  ASSERT_TRUE(list.has_value());
  std::vector<std::string> names;
  for (auto& e : *list) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"cfg", "dirtarget"}));
  EXPECT_EQ(*fs_.ReadSmallFile(P("cfg"), 1024), "old");
}

TEST_F(PosixFsTest, ListDirSkipsDotsAndReportsDirs) {
  ASSERT_TRUE(fs_.Mkdir(P("cur"), 0700).ok());
  WriteFile(P("file"), "");
  auto list = fs_.ListDir(dir_);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  std::sort(list->begin(), list->end(), [](auto& a, auto& b) { return a.name < b.name; });
  EXPECT_EQ((*list)[0].name, "cur");
  EXPECT_TRUE((*list)[0].is_dir);
  EXPECT_EQ((*list)[1].name, "file");
  EXPECT_FALSE((*list)[1].is_dir);
}

TEST_F(PosixFsTest, LocksExcludeEachOtherWithinOneProcess) {
  std::string path = P("lock");
  {
    auto ex = fs_.Lock(path, /*exclusive=*/true);
    ASSERT_TRUE(ex.has_value()) << ex.error().ToString();
    EXPECT_FALSE(CanLockNow(path, true));
    EXPECT_FALSE(CanLockNow(path, false));
  }
  EXPECT_TRUE(CanLockNow(path, true));  // released by the destructor
  {
    auto sh1 = fs_.Lock(path, false);
    auto sh2 = fs_.Lock(path, false);  // shared locks coexist (and do not block)
    ASSERT_TRUE(sh1.has_value() && sh2.has_value());
    EXPECT_TRUE(CanLockNow(path, false));
    EXPECT_FALSE(CanLockNow(path, true));
  }
  EXPECT_TRUE(CanLockNow(path, true));
}

TEST_F(PosixFsTest, LockOfKilledProcessIsReleasedAtOnce) {
  std::string path = P("lock");
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    auto lock = fs_.Lock(path, true);
    char c = lock.has_value() ? 'L' : 'E';
    if (::write(pipefd[1], &c, 1) != 1) ::_exit(2);
    for (;;) ::pause();  // hold the lock until killed
  }
  ::close(pipefd[1]);
  char c = 0;
  ASSERT_EQ(::read(pipefd[0], &c, 1), 1);
  ::close(pipefd[0]);
  ASSERT_EQ(c, 'L');
  EXPECT_FALSE(CanLockNow(path, true));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(wstatus));
  // The dead process's descriptors are closed by the time it is reaped.
  EXPECT_TRUE(CanLockNow(path, true));
  auto lock = fs_.Lock(path, true);
  EXPECT_TRUE(lock.has_value());
}

}  // namespace
}  // namespace roost::storage
