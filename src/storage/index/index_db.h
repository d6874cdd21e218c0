// IndexDb: the process-wide RocksDB database holding every user's index
// (doc/design/storage-index.md), with one column family per kind of record
// (mailbox headers, chunks, file names, cache, changelog).
//
// A thin wrapper: it owns the rocksdb::DB, its column family handles, the
// shared LRU block cache and the WriteBufferManager that caps all memtables
// together, and it turns every rocksdb::Status into a roost Status in one
// place (FromRocksStatus in index_db.cc). RocksDB types stay out of this
// header so users of roost_storage need no RocksDB includes.
//
// Open creates a missing directory and database. A database RocksDB cannot
// read (damaged CURRENT, MANIFEST...) gives Status kCorruption; the engine
// then calls Destroy and rebuilds from the Maildir, which stays the truth.
//
// Thread affinity: thread-safe (RocksDB serialises writers itself and
// group-commits concurrent Write calls into one WAL write). An IndexBatch
// is a value owned by one thread at a time and must not outlive its IndexDb.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rocksdb {
class DB;
class WriteBatch;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace roost::storage::index {

// Column families. Values index IndexDb's handle table: never reorder.
enum class Cf : uint8_t { kMailbox = 0, kChunk, kFile, kCache, kChangelog };
inline constexpr size_t kCfCount = 5;
std::string_view CfName(Cf cf);

// Memtables are charged to the block cache (WriteBufferManager with a
// cache), so block_cache_bytes is the index's whole memory budget and must
// exceed memtable_budget_bytes.
struct IndexDbOptions {
  size_t block_cache_bytes = size_t{64} << 20;      // shared by all CFs
  size_t memtable_budget_bytes = size_t{32} << 20;  // all memtables together
  size_t cf_write_buffer_bytes = size_t{4} << 20;   // one memtable of one CF
  // LZ4 (ZSTD for the bottommost level) when this RocksDB build has them.
  bool compression = true;
  // fsync the WAL on each Write. The index is a cache of the Maildir, but
  // UIDs and modseq floors handed to clients must survive a crash.
  bool sync_writes = true;
};

class IndexDb;

// A group of writes applied atomically by IndexDb::Write.
class IndexBatch {
 public:
  IndexBatch(IndexBatch&&) noexcept;
  IndexBatch& operator=(IndexBatch&&) noexcept;
  ~IndexBatch();

  void Put(Cf cf, std::string_view key, std::string_view value);
  void Delete(Cf cf, std::string_view key);
  size_t Count() const;

 private:
  friend class IndexDb;
  explicit IndexBatch(const IndexDb* db);
  const IndexDb* db_;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  Status status_;  // first error from Put/Delete, reported by Write
};

class IndexDb {
 public:
  static Result<std::unique_ptr<IndexDb>> Open(const std::string& path, const IndexDbOptions& options);
  // Removes the database at `path` (the engine's answer to kCorruption).
  static Status Destroy(const std::string& path);

  IndexDb(const IndexDb&) = delete;
  IndexDb& operator=(const IndexDb&) = delete;
  ~IndexDb();

  Status Put(Cf cf, std::string_view key, std::string_view value);
  Status Delete(Cf cf, std::string_view key);
  // kNotFound if the key is absent.
  Result<std::string> Get(Cf cf, std::string_view key) const;

  IndexBatch NewBatch() const { return IndexBatch(this); }
  Status Write(IndexBatch batch);

  // Calls fn(key, value) for each key starting with `prefix`, in key order,
  // until fn returns false.
  Status ScanPrefix(Cf cf, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;

  // Writes memtables to SST files (shutdown, tests).
  Status Flush();
  // Bytes of live SST files of one CF (after Flush, the on-disk size).
  Result<uint64_t> SstBytes(Cf cf) const;

  // Whether Open enabled block compression (false if the build lacks LZ4).
  bool compressed() const { return compressed_; }

 private:
  friend class IndexBatch;
  struct Shared;  // block cache and write buffer manager
  IndexDb() = default;
  rocksdb::ColumnFamilyHandle* Handle(Cf cf) const;

  std::unique_ptr<Shared> shared_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; freed before db_
  std::unique_ptr<rocksdb::DB> db_;
  bool sync_writes_ = true;
  bool compressed_ = false;
};

}  // namespace roost::storage::index
