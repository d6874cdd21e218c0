// TlsSession: a server-side SSL over two memory BIOs.
//
// The Connection owns the socket; we only see bytes. FeedCiphertext writes
// what arrived into the read BIO and runs OpenSSL until it wants more
// input; whatever OpenSSL produced (handshake flights, alerts, session
// tickets) is drained from the write BIO into `to_network` before
// returning, so nothing stays queued inside the session between calls.
//
// Memory: RELEASE_BUFFERS (set on the context) frees SSL's record buffers
// when idle, but a memory BIO keeps the capacity it once grew to. An empty
// BIO that grew past kKeepBioBytes is therefore replaced by a fresh one, so
// a connection that once sent a large FETCH does not keep the megabyte.
#include <fmt/format.h>
#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>

#include "net/openssl_util.h"
#include "net/tls.h"

namespace roost::net {
namespace {

constexpr size_t kKeepBioBytes = 4096;
// One TLS record of plaintext at most (RFC 8446 section 5.1): encrypting
// chunk by chunk and draining in between bounds the write BIO.
constexpr size_t kEncryptChunk = 16384;

BIO* NewMemBio() {
  BIO* bio = BIO_new(BIO_s_mem());
  // An empty BIO means "no data yet, retry", never end of file.
  if (bio != nullptr) BIO_set_mem_eof_return(bio, -1);
  return bio;
}

bool IsIdleAndLarge(BIO* bio) {
  if (BIO_ctrl_pending(bio) != 0) return false;
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  return mem != nullptr && mem->max > kKeepBioBytes;
}

// Status for a failed SSL call. Client certificates that did not verify
// are reported with X509's own reason, which OpenSSL's queue lacks.
Status SslCallStatus(SSL* ssl, int ssl_error, std::string_view what) {
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    std::string queued = DrainOpenSslErrors();
    return Status::PermissionDenied(fmt::format("{}: client certificate rejected: {} ({})", what,
                                                X509_verify_cert_error_string(verify), queued));
  }
  if (ssl_error == SSL_ERROR_ZERO_RETURN) {
    return Status::InvalidArgument(fmt::format("{}: peer sent close_notify", what));
  }
  return OpenSslStatus(Status::Code::kInvalidArgument, what);
}

}  // namespace

Result<std::unique_ptr<TlsSession>> TlsSession::NewServer(std::shared_ptr<TlsContext> context) {
  ERR_clear_error();
  OpenSslPtr<SSL> ssl(SSL_new(context->native()));
  if (!ssl) return OpenSslStatus(Status::Code::kInternal, "SSL_new");
  BIO* in = NewMemBio();
  BIO* out = NewMemBio();
  if (in == nullptr || out == nullptr) {
    BIO_free(in);
    BIO_free(out);
    return OpenSslStatus(Status::Code::kInternal, "BIO_new");
  }
  SSL_set_bio(ssl.get(), in, out);  // the SSL owns both from here
  SSL_set_accept_state(ssl.get());
  return std::unique_ptr<TlsSession>(new TlsSession(std::move(context), ssl.release(), in, out));
}

TlsSession::TlsSession(std::shared_ptr<TlsContext> context, SSL* ssl, BIO* in, BIO* out)
    : context_(std::move(context)), ssl_(ssl), in_(in), out_(out) {}

TlsSession::~TlsSession() { SSL_free(ssl_); }

Status TlsSession::FeedCiphertext(std::string_view ciphertext, std::string& plaintext,
                                  std::string& to_network) {
  ERR_clear_error();
  while (!ciphertext.empty()) {
    int n = static_cast<int>(std::min<size_t>(ciphertext.size(), INT_MAX));
    int written = BIO_write(in_, ciphertext.data(), n);
    if (written <= 0) return OpenSslStatus(Status::Code::kInternal, "BIO_write");
    ciphertext.remove_prefix(static_cast<size_t>(written));
  }
  if (!handshake_done_) {
    int r = SSL_do_handshake(ssl_);
    if (r != 1) {
      int err = SSL_get_error(ssl_, r);
      DrainOutput(to_network);  // a handshake flight, or the alert to send
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return Status::Ok();
      return SslCallStatus(ssl_, err, "TLS handshake failed");
    }
    handshake_done_ = true;
  }
  char buf[16384];
  while (!peer_closed_) {
    int n = SSL_read(ssl_, buf, sizeof(buf));
    if (n > 0) {
      plaintext.append(buf, static_cast<size_t>(n));
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
    if (err == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;  // RFC 8446 section 6.1: close_notify
      break;
    }
    DrainOutput(to_network);
    return SslCallStatus(ssl_, err, "TLS read failed");
  }
  DrainOutput(to_network);
  return Status::Ok();
}

Status TlsSession::Encrypt(std::string_view plaintext, std::string& to_network) {
  if (!handshake_done_) return Status::Internal("TLS Encrypt before the handshake finished");
  ERR_clear_error();
  while (!plaintext.empty()) {
    size_t chunk = std::min(plaintext.size(), kEncryptChunk);
    int n = SSL_write(ssl_, plaintext.data(), static_cast<int>(chunk));
    if (n <= 0) {
      int err = SSL_get_error(ssl_, n);
      DrainOutput(to_network);
      return SslCallStatus(ssl_, err, "TLS write failed");
    }
    plaintext.remove_prefix(static_cast<size_t>(n));
    DrainOutput(to_network);
  }
  return Status::Ok();
}

void TlsSession::Shutdown(std::string& to_network) {
  ERR_clear_error();
  // One call queues our close_notify; we do not wait for the peer's
  // (RFC 8446 section 6.1 allows closing after sending it).
  SSL_shutdown(ssl_);
  ERR_clear_error();
  DrainOutput(to_network);
}

void TlsSession::DrainOutput(std::string& to_network) {
  size_t pending = BIO_ctrl_pending(out_);
  if (pending > 0) {
    size_t old = to_network.size();
    to_network.resize(old + pending);
    int n = BIO_read(out_, to_network.data() + old, static_cast<int>(pending));
    to_network.resize(old + static_cast<size_t>(std::max(n, 0)));
  }
  // Swap out grown, empty BIOs (see the top of the file). The write BIO
  // is left alone during the handshake, when OpenSSL may have a buffering
  // BIO stacked on it.
  if (IsIdleAndLarge(in_)) {
    if (BIO* fresh = NewMemBio()) {
      SSL_set0_rbio(ssl_, fresh);  // frees the old one
      in_ = fresh;
    }
  }
  if (handshake_done_ && IsIdleAndLarge(out_)) {
    if (BIO* fresh = NewMemBio()) {
      SSL_set0_wbio(ssl_, fresh);
      out_ = fresh;
    }
  }
}

TlsInfo TlsSession::info() const {
  TlsInfo info;
  info.version = SSL_get_version(ssl_);
  if (const char* cipher = SSL_get_cipher_name(ssl_)) info.cipher = cipher;
  X509* peer = SSL_get0_peer_certificate(ssl_);
  if (peer == nullptr) return info;
  // RFC 2253 form, but printing IA5 strings (emailAddress) as text rather
  // than as a hex dump of their DER.
  OpenSslPtr<BIO> mem(BIO_new(BIO_s_mem()));
  if (mem && X509_NAME_print_ex(mem.get(), X509_get_subject_name(peer), 0,
                                XN_FLAG_RFC2253 & ~ASN1_STRFLGS_DUMP_UNKNOWN) >= 0) {
    BUF_MEM* buf = nullptr;
    BIO_get_mem_ptr(mem.get(), &buf);
    if (buf != nullptr) info.peer_subject.assign(buf->data, buf->length);
  }
  info.peer_verified = SSL_get_verify_result(ssl_) == X509_V_OK;
  return info;
}

}  // namespace roost::net
