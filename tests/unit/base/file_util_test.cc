#include "base/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace roost {
namespace {

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost-file-util-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& name : Names()) ::unlink((dir_ + "/" + name).c_str());
    ::rmdir((dir_ + "/sub").c_str());
    ::rmdir(dir_.c_str());
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir_.c_str());
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    return names;
  }
  std::string Read(const std::string& path) const {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir_;
};

TEST_F(FileUtilTest, ReplacesContentWithExactModeAndNoTempLeft) {
  std::string path = dir_ + "/f";
  mode_t old_mask = ::umask(077);
  ASSERT_TRUE(ReplaceFileAtomically(path, "one", {.mode = 0644}).ok());
  ::umask(old_mask);
  EXPECT_EQ(Read(path), "one");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u) << "the umask must not apply";
  ASSERT_TRUE(ReplaceFileAtomically(path, "two", {.mode = 0600, .sync_file = false, .sync_dir = false}).ok());
  EXPECT_EQ(Read(path), "two");
  EXPECT_EQ(Names(), std::vector<std::string>{"f"});
}

TEST_F(FileUtilTest, FailedRenameKeepsTheOldFileAndRemovesTheTemp) {
  std::string target = dir_ + "/sub";
  ASSERT_EQ(::mkdir(target.c_str(), 0700), 0);
  ASSERT_EQ(::close(::creat((target + "/x").c_str(), 0600)), 0);  // non-empty: rename over it fails
  Status st = ReplaceFileAtomically(target, "data");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("rename("), std::string::npos) << st.ToString();
  EXPECT_EQ(Names(), std::vector<std::string>{"sub"});
  ::unlink((target + "/x").c_str());
}

TEST_F(FileUtilTest, MissingDirectoryIsNotFound) {
  Status st = ReplaceFileAtomically(dir_ + "/missing/f", "data");
  EXPECT_EQ(st.code(), Status::Code::kNotFound) << st.ToString();
}

TEST(DirectoryOfTest, Forms) {
  EXPECT_EQ(DirectoryOf("name"), ".");
  EXPECT_EQ(DirectoryOf("/name"), "/");
  EXPECT_EQ(DirectoryOf("/a/b/c"), "/a/b");
}

}  // namespace
}  // namespace roost
