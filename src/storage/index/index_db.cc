#include "storage/index/index_db.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

namespace roost::storage::index {
namespace {

constexpr std::string_view kCfNames[kCfCount] = {"mailbox", "chunk", "file", "cache", "changelog"};

// The one place RocksDB's status becomes ours.
Status FromRocksStatus(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(what) + ": " + s.ToString();
  switch (s.code()) {
    case rocksdb::Status::kNotFound:
      return Status::NotFound(msg);
    case rocksdb::Status::kCorruption:
      return Status::Corruption(msg);
    case rocksdb::Status::kNotSupported:
      return Status::NotSupported(msg);
    case rocksdb::Status::kInvalidArgument:
      return Status::InvalidArgument(msg);
    case rocksdb::Status::kIOError:
      if (s.IsNoSpace()) return Status::FromErrno(ENOSPC, msg);
      return Status::FromErrno(EIO, msg);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTimedOut:
    case rocksdb::Status::kTryAgain:
    case rocksdb::Status::kIncomplete:
      return Status::Unavailable(msg);
    case rocksdb::Status::kAborted:
    case rocksdb::Status::kShutdownInProgress:
      return Status::Cancelled(msg);
    default:
      return Status::Internal(msg);
  }
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

bool Supported(rocksdb::CompressionType type) {
  auto all = rocksdb::GetSupportedCompressions();
  return std::find(all.begin(), all.end(), type) != all.end();
}

}  // namespace

std::string_view CfName(Cf cf) { return kCfNames[static_cast<size_t>(cf)]; }

struct IndexDb::Shared {
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers;
  std::shared_ptr<const rocksdb::FilterPolicy> bloom;
};

namespace {

// Small point reads dominate (mailbox headers, chunks, cache entries), so
// every CF gets a Bloom filter and cached index/filter blocks.
rocksdb::ColumnFamilyOptions CfOptions(const IndexDbOptions& o, const std::shared_ptr<rocksdb::Cache>& cache,
                                       const std::shared_ptr<const rocksdb::FilterPolicy>& bloom,
                                       bool compress) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = o.cf_write_buffer_bytes;
  cf.max_write_buffer_number = 2;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy = bloom;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.compression = compress ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
  cf.bottommost_compression =
      compress && Supported(rocksdb::kZSTD) ? rocksdb::kZSTD : rocksdb::kDisableCompressionOption;
  return cf;
}

}  // namespace

Result<std::unique_ptr<IndexDb>> IndexDb::Open(const std::string& path, const IndexDbOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::FromErrno(ec.value(), "create index directory " + path);

  std::unique_ptr<IndexDb> db(new IndexDb());
  db->sync_writes_ = options.sync_writes;
  db->compressed_ = options.compression && Supported(rocksdb::kLZ4Compression);
  db->shared_ = std::make_unique<Shared>();
  db->shared_->block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  db->shared_->write_buffers =
      std::make_shared<rocksdb::WriteBufferManager>(options.memtable_budget_bytes, db->shared_->block_cache);
  db->shared_->bloom.reset(rocksdb::NewBloomFilterPolicy(10));

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.write_buffer_manager = db->shared_->write_buffers;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;

  rocksdb::ColumnFamilyOptions cf_options =
      CfOptions(options, db->shared_->block_cache, db->shared_->bloom, db->compressed_);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (std::string_view name : kCfNames) descriptors.emplace_back(std::string(name), cf_options);

  // RocksDB refuses to open a database without naming all its CFs; one a
  // newer roostd added is opened too (and ignored) so a downgrade works.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, path, &existing).ok()) {
    for (const std::string& name : existing) {
      auto known = [&](const rocksdb::ColumnFamilyDescriptor& d) { return d.name == name; };
      if (std::none_of(descriptors.begin(), descriptors.end(), known))
        descriptors.emplace_back(name, cf_options);
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  if (!s.ok()) {
    // A CURRENT naming a MANIFEST that is not there is damage, not a
    // missing database: RocksDB reports it as a missing path.
    if (s.IsPathNotFound() && std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) {
      return Status::Corruption("open index " + path + ": " + s.ToString());
    }
    return FromRocksStatus(s, "open index " + path);
  }
  db->db_.reset(raw);
  // handles[0] is the default CF and any past kCfCount are foreign CFs:
  // unused but owned.
  db->handles_ = std::move(handles);
  return db;
}

Status IndexDb::Destroy(const std::string& path) {
  rocksdb::Options options;
  return FromRocksStatus(rocksdb::DestroyDB(path, options), "destroy index " + path);
}

IndexDb::~IndexDb() {
  if (!db_) return;
  for (rocksdb::ColumnFamilyHandle* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

rocksdb::ColumnFamilyHandle* IndexDb::Handle(Cf cf) const { return handles_[static_cast<size_t>(cf) + 1]; }

Status IndexDb::Put(Cf cf, std::string_view key, std::string_view value) {
  rocksdb::WriteOptions wo;
  wo.sync = sync_writes_;
  return FromRocksStatus(db_->Put(wo, Handle(cf), ToSlice(key), ToSlice(value)), "index put");
}

Status IndexDb::Delete(Cf cf, std::string_view key) {
  rocksdb::WriteOptions wo;
  wo.sync = sync_writes_;
  return FromRocksStatus(db_->Delete(wo, Handle(cf), ToSlice(key)), "index delete");
}

Result<std::string> IndexDb::Get(Cf cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(cf), ToSlice(key), &value);
  if (!s.ok()) return FromRocksStatus(s, "index get");
  return value;
}

Status IndexDb::Write(IndexBatch batch) {
  ROOST_RETURN_IF_ERROR(batch.status_);
  if (batch.db_ != this) return Status::InvalidArgument("batch from another IndexDb");
  rocksdb::WriteOptions wo;
  wo.sync = sync_writes_;
  return FromRocksStatus(db_->Write(wo, batch.batch_.get()), "index write");
}

Status IndexDb::ScanPrefix(Cf cf, std::string_view prefix,
                           const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  for (it->Seek(ToSlice(prefix)); it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return FromRocksStatus(it->status(), "index scan");
}

Status IndexDb::Flush() {
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(handles_.begin() + 1, handles_.end());
  return FromRocksStatus(db_->Flush(rocksdb::FlushOptions(), cfs), "index flush");
}

Result<uint64_t> IndexDb::SstBytes(Cf cf) const {
  uint64_t bytes = 0;
  if (!db_->GetIntProperty(Handle(cf), rocksdb::DB::Properties::kTotalSstFilesSize, &bytes)) {
    return Status::Internal("index: total-sst-files-size unavailable");
  }
  return bytes;
}

IndexBatch::IndexBatch(const IndexDb* db) : db_(db), batch_(std::make_unique<rocksdb::WriteBatch>()) {}
IndexBatch::IndexBatch(IndexBatch&&) noexcept = default;
IndexBatch& IndexBatch::operator=(IndexBatch&&) noexcept = default;
IndexBatch::~IndexBatch() = default;

void IndexBatch::Put(Cf cf, std::string_view key, std::string_view value) {
  rocksdb::Status s = batch_->Put(db_->Handle(cf), ToSlice(key), ToSlice(value));
  if (status_.ok() && !s.ok()) status_ = FromRocksStatus(s, "batch put");
}

void IndexBatch::Delete(Cf cf, std::string_view key) {
  rocksdb::Status s = batch_->Delete(db_->Handle(cf), ToSlice(key));
  if (status_.ok() && !s.ok()) status_ = FromRocksStatus(s, "batch delete");
}

size_t IndexBatch::Count() const { return static_cast<size_t>(batch_->Count()); }

}  // namespace roost::storage::index
