// Op types of the io_uring backend (STYLE.md convention 6).
//
// Every SQE's user_data is an Op*. The Op owns every byte the kernel may
// touch for that request (iovec array, msghdr) and is
// deleted by UringLoop exactly once, when the CQE without IORING_CQE_F_MORE
// arrives, including after a cancel. Multishot ops (accept, recv) stay
// alive across their F_MORE completions. The loop keeps the set of live ops
// so it can cancel and reap them all before the ring is torn down.
//
// Thread affinity: IO thread only (created, completed and freed there).
#pragma once

#include <liburing.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

namespace roost::net {

class UringLoop;
struct UringSocket;
struct UringListener;

// The fields of a CQE, copied out so the CQ slot can be released early.
struct Completion {
  int32_t res;
  uint32_t flags;
  bool more() const { return (flags & IORING_CQE_F_MORE) != 0; }
};

class Op {
 public:
  virtual ~Op() = default;
  // Handles one CQE. The loop deletes the op after this returns when
  // !c.more().
  virtual void Complete(UringLoop& loop, const Completion& c) = 0;
};

// Multishot accept on a listener.
class AcceptOp final : public Op {
 public:
  explicit AcceptOp(UringListener* l) : listener(l) {}
  void Complete(UringLoop& loop, const Completion& c) override;
  UringListener* listener;
};

// Multishot recv with buffer selection from the loop's provided-buffer ring.
class RecvOp final : public Op {
 public:
  explicit RecvOp(UringSocket* s) : socket(s) {}
  void Complete(UringLoop& loop, const Completion& c) override;
  UringSocket* socket;
};

// One sendmsg; owns a copy of the caller's iovec array and the msghdr that
// points at it (the payload bytes stay the caller's, per io_loop.h).
class SendOp final : public Op {
 public:
  SendOp(UringSocket* s, const iovec* iov, size_t n) : socket(s), iovs(iov, iov + n) {
    msg.msg_iov = iovs.data();
    // Beyond IOV_MAX sendmsg fails with EMSGSIZE; send a prefix instead and
    // let the caller see a short write.
    msg.msg_iovlen = std::min<size_t>(iovs.size(), IOV_MAX);
  }
  void Complete(UringLoop& loop, const Completion& c) override;
  UringSocket* socket;
  std::vector<iovec> iovs;
  msghdr msg{};
};

// Multishot poll on the wake eventfd; the loop reads the counter itself.
class WakePollOp final : public Op {
 public:
  void Complete(UringLoop& loop, const Completion& c) override;
};

// An async cancel request; its own completion carries nothing we need.
class CancelOp final : public Op {
 public:
  void Complete(UringLoop&, const Completion&) override {}
};

}  // namespace roost::net
