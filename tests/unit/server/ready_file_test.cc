#include "server/ready_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace roost::server {
namespace {

TEST(ReadyFileTest, JsonShape) {
  ReadyInfo info{.pid = 42, .backend = "uring", .listeners = {{"imap", "127.0.0.1:40123"}, {"admin", "[::1]:8026"}}};
  EXPECT_EQ(ReadyJson(info),
            "{\"pid\":42,\"backend\":\"uring\",\"listeners\":{\"imap\":\"127.0.0.1:40123\","
            "\"admin\":\"[::1]:8026\"}}\n");
  EXPECT_EQ(ReadyJson({.pid = 1, .backend = "a\"b", .listeners = {}}),
            "{\"pid\":1,\"backend\":\"a\\\"b\",\"listeners\":{}}\n");
}

TEST(ReadyFileTest, WritesAtomicallyWithoutLeavingTmp) {
  char tmpl[] = "/tmp/roost-ready-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::filesystem::path dir = tmpl;
  std::string path = (dir / "ready.json").string();
  ReadyInfo info{.pid = 7, .backend = "epoll", .listeners = {{"imap", "127.0.0.1:1"}}};
  ASSERT_TRUE(WriteReadyFile(path, info).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), ReadyJson(info));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(WriteReadyFile((dir / "missing/ready.json").string(), info).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace roost::server
