#include "storage/index/index_db.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>  // to create a foreign column family
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/index/keys.h"

namespace roost::storage::index {
namespace {

class IndexDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost-index-db-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static IndexDbOptions SmallOptions() {
    IndexDbOptions o;
    o.block_cache_bytes = 8 << 20;
    o.memtable_budget_bytes = 4 << 20;
    o.cf_write_buffer_bytes = 1 << 20;
    return o;
  }

  std::string dir_;
};

TEST_F(IndexDbTest, BatchAcrossColumnFamiliesSurvivesReopen) {
  std::string path = dir_ + "/db";
  {
    auto db = IndexDb::Open(path, SmallOptions());
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    IndexBatch batch = (*db)->NewBatch();
    batch.Put(Cf::kMailbox, MailboxKey(1, 10), "header");
    batch.Put(Cf::kChunk, ChunkKey(10, 1), "chunk-1");
    batch.Put(Cf::kChunk, ChunkKey(10, 4097), "chunk-4097");
    batch.Put(Cf::kFile, ChunkKey(10, 1), "files");
    batch.Put(Cf::kCache, CacheKey(10, 5), "envelope");
    batch.Put(Cf::kChangelog, ChangelogKey(10, 77), "uid 5 flags");
    batch.Put(Cf::kChunk, ChunkKey(11, 1), "other mailbox");
    batch.Delete(Cf::kCache, CacheKey(10, 6));
    EXPECT_EQ(batch.Count(), 8u);
    ASSERT_TRUE((*db)->Write(std::move(batch)).ok());
    ASSERT_TRUE((*db)->Put(Cf::kCache, CacheKey(10, 6), "late").ok());
  }
  auto db = IndexDb::Open(path, SmallOptions());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  EXPECT_EQ(*(*db)->Get(Cf::kMailbox, MailboxKey(1, 10)), "header");
  EXPECT_EQ(*(*db)->Get(Cf::kChunk, ChunkKey(10, 4097)), "chunk-4097");
  EXPECT_EQ(*(*db)->Get(Cf::kFile, ChunkKey(10, 1)), "files");
  EXPECT_EQ(*(*db)->Get(Cf::kCache, CacheKey(10, 5)), "envelope");
  EXPECT_EQ(*(*db)->Get(Cf::kCache, CacheKey(10, 6)), "late");
  EXPECT_EQ(*(*db)->Get(Cf::kChangelog, ChangelogKey(10, 77)), "uid 5 flags");
  // Same key, different CF: CFs are separate key spaces.
  EXPECT_EQ(*(*db)->Get(Cf::kChunk, ChunkKey(10, 1)), "chunk-1");

  auto missing = (*db)->Get(Cf::kMailbox, MailboxKey(1, 11));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Status::Code::kNotFound);

  ASSERT_TRUE((*db)->Delete(Cf::kCache, CacheKey(10, 5)).ok());
  EXPECT_EQ((*db)->Get(Cf::kCache, CacheKey(10, 5)).error().code(), Status::Code::kNotFound);
}

TEST_F(IndexDbTest, ScanPrefixVisitsOneMailboxInUidOrder) {
  auto db = IndexDb::Open(dir_ + "/db", SmallOptions());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  for (Uid first : {8193u, 1u, 4097u}) {
    ASSERT_TRUE((*db)->Put(Cf::kChunk, ChunkKey(10, first), std::to_string(first)).ok());
  }
  ASSERT_TRUE((*db)->Put(Cf::kChunk, ChunkKey(9, 1), "before").ok());
  ASSERT_TRUE((*db)->Put(Cf::kChunk, ChunkKey(11, 1), "after").ok());
  std::vector<std::string> seen;
  ASSERT_TRUE((*db)
                  ->ScanPrefix(Cf::kChunk, MailboxPrefix(10),
                               [&](std::string_view key, std::string_view value) {
                                 auto parts = ParseChunkKey(key);
                                 EXPECT_TRUE(parts.has_value());
                                 seen.emplace_back(value);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "4097", "8193"}));

  seen.clear();
  ASSERT_TRUE((*db)
                  ->ScanPrefix(Cf::kChunk, MailboxPrefix(10),
                               [&](std::string_view, std::string_view value) {
                                 seen.emplace_back(value);
                                 return false;  // stop after the first
                               })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"1"}));
}

TEST_F(IndexDbTest, MissingDirectoryIsCreated) {
  std::string path = dir_ + "/a/b/index";
  ASSERT_FALSE(std::filesystem::exists(path));
  auto db = IndexDb::Open(path, SmallOptions());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  EXPECT_TRUE(std::filesystem::exists(path + "/CURRENT"));
  ASSERT_TRUE((*db)->Put(Cf::kMailbox, MailboxKey(1, 1), "x").ok());
  ASSERT_TRUE((*db)->Flush().ok());
  auto bytes = (*db)->SstBytes(Cf::kMailbox);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GT(*bytes, 0u);
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

TEST_F(IndexDbTest, GarbageCurrentIsCorruptionAndDestroyRecovers) {
  std::string path = dir_ + "/db";
  {
    auto db = IndexDb::Open(path, SmallOptions());
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    ASSERT_TRUE((*db)->Put(Cf::kMailbox, MailboxKey(1, 1), "x").ok());
  }
  for (const char* garbage : {"\x01\x02garbage", "MANIFEST-999999\n", ""}) {
    WriteFile(path + "/CURRENT", garbage);
    auto db = IndexDb::Open(path, SmallOptions());
    ASSERT_FALSE(db.has_value()) << "CURRENT=" << garbage;
    EXPECT_EQ(db.error().code(), Status::Code::kCorruption) << db.error().ToString();
  }
  ASSERT_TRUE(IndexDb::Destroy(path).ok());
  auto db = IndexDb::Open(path, SmallOptions());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  EXPECT_EQ((*db)->Get(Cf::kMailbox, MailboxKey(1, 1)).error().code(), Status::Code::kNotFound);
}

TEST_F(IndexDbTest, PathThatIsAFileIsAnError) {
  std::string path = dir_ + "/file";
  WriteFile(path, "not a directory");
  auto db = IndexDb::Open(path, SmallOptions());
  ASSERT_FALSE(db.has_value());
  EXPECT_NE(db.error().code(), Status::Code::kOk);
}

TEST_F(IndexDbTest, OpensDatabaseWithAColumnFamilyItDoesNotKnow) {
  std::string path = dir_ + "/db";
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* cf = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "from-the-future", &cf).ok());
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(cf).ok());
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = IndexDb::Open(path, SmallOptions());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  ASSERT_TRUE((*db)->Put(Cf::kChunk, ChunkKey(1, 1), "v").ok());
  EXPECT_EQ(*(*db)->Get(Cf::kChunk, ChunkKey(1, 1)), "v");
}

TEST_F(IndexDbTest, CfNames) {
  EXPECT_EQ(CfName(Cf::kMailbox), "mailbox");
  EXPECT_EQ(CfName(Cf::kChangelog), "changelog");
}

}  // namespace
}  // namespace roost::storage::index
