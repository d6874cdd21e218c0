// ImapConn: a blocking IMAP client for integration tests, over plain TCP,
// implicit TLS, or plain TCP upgraded with STARTTLS (RFC 3501 §6.2.1).
//
// Every read waits at most kReadTimeout and then fails, so a server that
// never answers fails the test instead of hanging it. The client does not
// verify the server certificate: tests use a throwaway self-signed one.
//
// Thread affinity: one thread at a time.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace roost::itest {

// A TCP connection to 127.0.0.1:port with SOCK_CLOEXEC (so it never leaks
// into a spawned roostd). Returns the fd.
Result<int> ConnectLoopback(uint16_t port);

class ImapConn {
 public:
  static constexpr std::chrono::milliseconds kReadTimeout{10'000};

  static Result<std::unique_ptr<ImapConn>> Connect(uint16_t port);
  static Result<std::unique_ptr<ImapConn>> ConnectTls(uint16_t port);
  ~ImapConn();
  ImapConn(const ImapConn&) = delete;
  ImapConn& operator=(const ImapConn&) = delete;

  Status SendRaw(std::string_view bytes);
  // The next line without its CRLF.
  Result<std::string> ReadLine();
  // Sends "<tag> <command>\r\n" and reads through the tagged reply; returns
  // every line, the tagged one last.
  Result<std::vector<std::string>> Command(std::string_view tag, std::string_view command);
  // TLS handshake on the current socket (call after the server's "OK" to
  // STARTTLS). Fails if unread plaintext is buffered: that would be data the
  // server sent after its OK, which RFC 3501 §6.2.1 forbids.
  Status StartTls();
  // True once the server has closed the connection (EOF within the timeout).
  Result<bool> ReadEof();
  bool tls() const { return ssl_ != nullptr; }
  int fd() const { return fd_; }

 private:
  explicit ImapConn(int fd);
  // Reads more bytes into in_; error on timeout, EOF or failure.
  Status Fill();

  int fd_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string in_;
  bool eof_ = false;
};

// The tagged status word ("OK", "NO", "BAD") of the last line of a reply.
std::string TaggedStatus(const std::vector<std::string>& reply, std::string_view tag);
// Whether any line of `reply` starts with `prefix`.
bool HasLineStartingWith(const std::vector<std::string>& reply, std::string_view prefix);

}  // namespace roost::itest
