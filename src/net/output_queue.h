// OutputQueue: the bytes a Connection has to write, as a list of chunks,
// with at most one send in flight over a prefix of them.
//
// Chunks are std::strings moved in from sessions, so a large reply is never
// copied. Small chunks are coalesced into the tail chunk while it is not
// part of the send in flight (IMAP writes many short lines; 64 iovecs of 20
// bytes each would waste the syscall). Every chunk's bytes live on the
// heap (short strings are reserved past the small-string buffer when
// queued), so growing the chunk vector moves string objects but never the
// bytes the kernel is reading.
//
// An empty queue holds no memory: capacity is released once everything is
// sent, so idle connections cost nothing here.
//
// Thread affinity: owned by one Connection, IO thread only.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace roost::net {

class OutputQueue {
 public:
  // Enough for a batch of replies; more would only lengthen the kernel's
  // copy loop without saving syscalls.
  static constexpr size_t kMaxIovecs = 64;

  bool empty() const { return head_ == chunks_.size(); }
  size_t bytes() const { return bytes_; }

  void Append(std::string chunk);
  // Fills `iov` with the unsent bytes, starting at the head; returns the
  // count used. The gathered chunks count as in flight until Advance().
  size_t Gather(std::span<iovec> iov);
  // `sent` bytes of the gathered prefix were written; ends the send in flight.
  void Advance(size_t sent);
  // Drops everything (abort). REQUIRES: no send in flight.
  void Clear();

 private:
  void Compact();

  std::vector<std::string> chunks_;
  size_t head_ = 0;         // first chunk with unsent bytes
  size_t head_offset_ = 0;  // bytes of chunks_[head_] already sent
  size_t in_flight_ = 0;    // chunks from head_ that a send is reading
  size_t bytes_ = 0;        // unsent bytes
};

}  // namespace roost::net
