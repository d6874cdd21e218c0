// Measurement, not timing: the chunk encoding of a 1,000,000-message folder
// shaped like ../shared/tools/gen_bigfolder.py's must fit the storage
// issue's budget of 12 bytes per message (index without the per-message
// cache and file names), both as raw chunk values and as RocksDB SST files
// with RocksDB's own compression off.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "storage/index/chunk.h"
#include "storage/index/index_db.h"
#include "storage/index/keys.h"

namespace roost::storage::index {
namespace {

constexpr size_t kMessages = 1'000'000;
constexpr double kBudgetBytesPerMessage = 12.0;

// The CRLF size of gen_bigfolder.py's message i (its From/Subject/Date/
// Message-ID/body template), with its random user number and words.
uint32_t GeneratedSize(std::mt19937_64& rng, size_t i, int64_t t) {
  static const char* const kWords[] = {"alpha", "beta",   "gamma",   "delta",  "exam", "lecture",
                                       "grant", "thesis", "seminar", "budget", "lab",  "report"};
  std::string n = std::to_string(i);
  std::string subject;
  for (int w = 0; w < 4; ++w) subject += std::string(w ? " " : "") + kWords[rng() % 12];
  char date[64];
  time_t tt = static_cast<time_t>(t);
  struct tm tm_utc;
  gmtime_r(&tt, &tm_utc);
  size_t date_len = strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm_utc);
  size_t size = std::string("From: user@uni.example\r\n").size() + std::to_string(rng() % 5000).size() +
                std::string("To: student@uni.example\r\n").size() + std::string("Subject:  \r\n").size() +
                subject.size() + n.size() + std::string("Date: \r\n").size() + date_len +
                std::string("Message-ID: <m@uni.example>\r\n").size() + n.size() +
                std::string("\r\nMessage body number .\r\n").size() + n.size();
  return static_cast<uint32_t>(size);
}

// The folder as chunks of kMaxChunkMessages. Beyond the script: UIDs have
// rare gaps (old expunges), 1% of messages carry a keyword, and a few
// messages per chunk were touched after delivery (a later modseq).
std::vector<ChunkColumns> BigFolder() {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<ChunkColumns> chunks;
  Uid uid = 1;
  for (size_t i = 0; i < kMessages; ++i) {
    if (i % kMaxChunkMessages == 0) chunks.emplace_back();
    ChunkColumns& c = chunks.back();
    ModSeq chunk_modseq = 1 + chunks.size();
    int64_t t = 1'600'000'000 + static_cast<int64_t>(i) * 30;
    uint8_t flags = unit(rng) < 0.7 ? kFlagSeen : 0;
    if (unit(rng) < 0.05) flags |= kFlagFlagged;
    if (unit(rng) < 0.001) uid += 1 + static_cast<Uid>(rng() % 5);
    c.uids.push_back(uid++);
    c.flags.push_back(flags);
    c.keywords.push_back(unit(rng) < 0.01 ? (uint64_t{1} << (rng() % 3)) : 0);
    c.modseqs.push_back(unit(rng) < 0.02 ? chunk_modseq + 300 + rng() % 50 : chunk_modseq);
    c.sizes.push_back(GeneratedSize(rng, i, t));
    c.internal_dates.push_back(t);
  }
  return chunks;
}

TEST(IndexChunkSize, MillionMessageFolderFitsBudget) {
  std::vector<ChunkColumns> chunks = BigFolder();
  uint64_t bytes = 0;
  size_t messages = 0;
  uint64_t column_bytes[kChunkColumnCount] = {};
  for (const ChunkColumns& c : chunks) {
    auto enc = EncodeChunk(c);
    ASSERT_TRUE(enc.has_value()) << enc.error().ToString();
    auto layout = InspectChunk(*enc);
    ASSERT_TRUE(layout.has_value());
    for (size_t i = 0; i < kChunkColumnCount; ++i) column_bytes[i] += layout->column_bytes[i];
    bytes += enc->size() + ChunkKey(1, c.uids.front()).size();
    messages += c.size();
    auto dec = DecodeChunk(*enc);
    ASSERT_TRUE(dec.has_value());
    ASSERT_EQ(*dec, c);
  }
  ASSERT_EQ(messages, kMessages);
  double per_message = static_cast<double>(bytes) / static_cast<double>(messages);
  std::printf("chunk values + keys: %llu bytes for %zu messages = %.3f bytes/message\n",
              static_cast<unsigned long long>(bytes), messages, per_message);
  static const char* const kNames[kChunkColumnCount] = {"uids",    "flags", "keywords",
                                                        "modseqs", "sizes", "dates"};
  for (size_t i = 0; i < kChunkColumnCount; ++i) {
    std::printf("  %-8s %.3f bytes/message\n", kNames[i],
                static_cast<double>(column_bytes[i]) / static_cast<double>(messages));
  }
  RecordProperty("bytes_per_message", std::to_string(per_message));
  EXPECT_LE(per_message, kBudgetBytesPerMessage);
}

// Writes the folder's chunks into a fresh IndexDb, flushes, and returns the
// chunk CF's SST bytes per message.
void MeasureInRocksDb(bool compression, double* per_message) {
  char tmpl[] = "/tmp/roost-index-size-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  {
    IndexDbOptions options;
    options.compression = compression;
    options.sync_writes = false;
    auto db = IndexDb::Open(dir + "/db", options);
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    if (!compression) {
      EXPECT_FALSE((*db)->compressed());
    }
    IndexBatch batch = (*db)->NewBatch();
    for (const ChunkColumns& c : BigFolder()) {
      auto enc = EncodeChunk(c);
      ASSERT_TRUE(enc.has_value());
      batch.Put(Cf::kChunk, ChunkKey(1, c.uids.front()), *enc);
    }
    ASSERT_TRUE((*db)->Write(std::move(batch)).ok());
    ASSERT_TRUE((*db)->Flush().ok());
    auto sst = (*db)->SstBytes(Cf::kChunk);
    ASSERT_TRUE(sst.has_value()) << sst.error().ToString();
    EXPECT_GT(*sst, 0u);
    *per_message = static_cast<double>(*sst) / static_cast<double>(kMessages);
    std::printf("chunk CF SST files, compression %s: %llu bytes = %.3f bytes/message\n",
                (*db)->compressed() ? "on" : "off", static_cast<unsigned long long>(*sst), *per_message);
  }
  std::filesystem::remove_all(dir);
}

TEST(IndexChunkSize, MillionMessageFolderInRocksDbWithoutCompression) {
  double per_message = 0;
  MeasureInRocksDb(false, &per_message);
  RecordProperty("sst_bytes_per_message", std::to_string(per_message));
  EXPECT_LE(per_message, kBudgetBytesPerMessage);
}

TEST(IndexChunkSize, MillionMessageFolderInRocksDbWithDefaultCompression) {
  double per_message = 0;
  MeasureInRocksDb(true, &per_message);
  RecordProperty("sst_bytes_per_message", std::to_string(per_message));
  EXPECT_LE(per_message, kBudgetBytesPerMessage);
}

}  // namespace
}  // namespace roost::storage::index
