#include "net/output_queue.h"

#include <algorithm>
#include <cassert>

namespace roost::net {

namespace {

// Chunks smaller than this are copied into the tail chunk when possible.
constexpr size_t kCoalesceBelow = 4096;
// The tail chunk stops growing here, to keep sends of reasonable size.
constexpr size_t kCoalesceLimit = 16384;
// Past the small-string buffer of every standard library we build with
// (libstdc++ 15, libc++ 22), so a moved std::string keeps its bytes.
constexpr size_t kMinHeapCapacity = 32;

}  // namespace

void OutputQueue::Append(std::string chunk) {
  if (chunk.empty()) return;
  bytes_ += chunk.size();
  bool tail_free = !empty() && chunks_.size() - 1 >= head_ + in_flight_;
  if (tail_free && chunk.size() < kCoalesceBelow) {
    std::string& tail = chunks_.back();
    // Appending is fine even if the tail is a partly sent head: the sent
    // offset counts from the front.
    if (tail.size() + chunk.size() <= kCoalesceLimit) {
      tail.append(chunk);
      return;
    }
  }
  if (chunk.capacity() < kMinHeapCapacity) chunk.reserve(kMinHeapCapacity);
  chunks_.push_back(std::move(chunk));
}

size_t OutputQueue::Gather(std::span<iovec> iov) {
  assert(in_flight_ == 0);
  size_t n = 0;
  for (size_t i = head_; i < chunks_.size() && n < iov.size(); ++i, ++n) {
    size_t offset = (i == head_) ? head_offset_ : 0;
    iov[n].iov_base = chunks_[i].data() + offset;
    iov[n].iov_len = chunks_[i].size() - offset;
  }
  in_flight_ = n;
  return n;
}

void OutputQueue::Advance(size_t sent) {
  assert(sent <= bytes_);
  bytes_ -= sent;
  in_flight_ = 0;
  while (sent > 0 && head_ < chunks_.size()) {
    std::string& chunk = chunks_[head_];
    size_t left = chunk.size() - head_offset_;
    if (sent < left) {
      head_offset_ += sent;
      break;
    }
    sent -= left;
    std::string().swap(chunk);  // free the bytes now, not at compaction
    ++head_;
    head_offset_ = 0;
  }
  Compact();
}

void OutputQueue::Clear() {
  assert(in_flight_ == 0);
  std::vector<std::string>().swap(chunks_);
  head_ = head_offset_ = bytes_ = 0;
}

void OutputQueue::Compact() {
  if (head_ == chunks_.size()) {
    Clear();
    return;
  }
  // Only between sends, so moving the remaining strings is safe.
  if (head_ >= 32 && head_ * 2 >= chunks_.size()) {
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace roost::net
