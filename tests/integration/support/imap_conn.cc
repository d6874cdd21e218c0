#include "support/imap_conn.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace roost::itest {

Result<int> ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket()");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    ::close(fd);
    return Status::FromErrno(err, fmt::format("connect(127.0.0.1:{})", port));
  }
  return fd;
}

ImapConn::ImapConn(int fd) : fd_(fd) {}

ImapConn::~ImapConn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<ImapConn>> ImapConn::Connect(uint16_t port) {
  ROOST_ASSIGN_OR_RETURN(int fd, ConnectLoopback(port));
  return std::unique_ptr<ImapConn>(new ImapConn(fd));
}

Result<std::unique_ptr<ImapConn>> ImapConn::ConnectTls(uint16_t port) {
  ROOST_ASSIGN_OR_RETURN(std::unique_ptr<ImapConn> conn, Connect(port));
  ROOST_RETURN_IF_ERROR(conn->StartTls());
  return conn;
}

Status ImapConn::StartTls() {
  if (!in_.empty()) return Status::Corruption("plaintext after STARTTLS OK: " + in_);
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) return Status::Internal("SSL_CTX_new failed");
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  // Blocking handshake, bounded by a receive timeout on the socket.
  timeval tv{static_cast<time_t>(kReadTimeout.count() / 1000), 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  int rc = SSL_connect(ssl_);
  if (rc != 1) {
    return Status::Unavailable(
        fmt::format("TLS handshake failed (SSL error {})", SSL_get_error(ssl_, rc)));
  }
  return Status::Ok();
}

Status ImapConn::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ssl_ != nullptr ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                                : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (ssl_ == nullptr && errno == EINTR) continue;
      return Status::FromErrno(errno, "send()");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status ImapConn::Fill() {
  if (eof_) return Status::Unavailable("connection closed by server");
  // OpenSSL may already hold decrypted bytes that poll() cannot see.
  if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(kReadTimeout.count()));
    if (r == 0) return Status::Unavailable("read timed out");
    if (r < 0) return Status::FromErrno(errno, "poll()");
  }
  char buf[8192];
  ssize_t n = ssl_ != nullptr ? SSL_read(ssl_, buf, sizeof(buf)) : ::recv(fd_, buf, sizeof(buf), 0);
  if (n == 0 || (n < 0 && ssl_ != nullptr && SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_ZERO_RETURN)) {
    eof_ = true;
    return Status::Unavailable("connection closed by server");
  }
  if (n < 0) {
    if (ssl_ == nullptr && errno == ECONNRESET) {
      eof_ = true;
      return Status::Unavailable("connection reset by server");
    }
    return Status::Unavailable(ssl_ != nullptr ? "TLS read failed" : "recv() failed");
  }
  in_.append(buf, static_cast<size_t>(n));
  return Status::Ok();
}

Result<std::string> ImapConn::ReadLine() {
  for (;;) {
    size_t eol = in_.find("\r\n");
    if (eol != std::string::npos) {
      std::string line = in_.substr(0, eol);
      in_.erase(0, eol + 2);
      return line;
    }
    ROOST_RETURN_IF_ERROR(Fill());
  }
}

Result<std::vector<std::string>> ImapConn::Command(std::string_view tag, std::string_view command) {
  ROOST_RETURN_IF_ERROR(SendRaw(fmt::format("{} {}\r\n", tag, command)));
  std::vector<std::string> lines;
  std::string prefix = fmt::format("{} ", tag);
  for (;;) {
    ROOST_ASSIGN_OR_RETURN(std::string line, ReadLine());
    lines.push_back(line);
    if (line.compare(0, prefix.size(), prefix) == 0) return lines;
  }
}

Result<bool> ImapConn::ReadEof() {
  while (in_.empty()) {
    Status s = Fill();
    if (!s.ok()) return eof_;
  }
  return false;  // data arrived instead of EOF
}

std::string TaggedStatus(const std::vector<std::string>& reply, std::string_view tag) {
  if (reply.empty()) return "";
  const std::string& last = reply.back();
  if (last.size() <= tag.size() + 1 || last.compare(0, tag.size(), tag) != 0) return "";
  std::string rest = last.substr(tag.size() + 1);
  return rest.substr(0, rest.find(' '));
}

bool HasLineStartingWith(const std::vector<std::string>& reply, std::string_view prefix) {
  for (const std::string& line : reply) {
    if (line.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

}  // namespace roost::itest
