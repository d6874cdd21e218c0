// TLS on our own buffers, with OpenSSL 3.
//
// TlsContext wraps an SSL_CTX built from a certificate chain and key file
// (TLS 1.2 minimum, no weak ciphers, server cipher preference, optional
// client-certificate verification against a CA file). Contexts are
// immutable once built; SIGHUP builds a new one and swaps the shared_ptr,
// so live connections keep the context they started with.
//
// TlsSession is sans-IO: ciphertext in, plaintext out and the reverse, over
// memory BIOs. The Connection moves bytes between it and the socket, so TLS
// works the same on both IO backends and for in-place STARTTLS upgrades.
//
// Thread affinity: TlsContext is thread-safe (shared by all IO threads);
// a TlsSession belongs to one Connection, IO thread only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"
#include "net/protocol.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace roost::net {

struct TlsOptions {
  std::string cert_file;  // PEM chain, leaf first
  std::string key_file;   // PEM private key; refused if world-readable
  std::string client_ca_file;  // when set, client certificates are requested
  bool require_client_cert = false;
  std::string min_version = "TLSv1.2";  // "TLSv1.2" or "TLSv1.3"
  std::string ciphers = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:!CBC";  // TLS 1.2 list
};

class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> Create(const TlsOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* native() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

class TlsSession {
 public:
  // A server-side session. Holds a reference to the context.
  static Result<std::unique_ptr<TlsSession>> NewServer(std::shared_ptr<TlsContext> context);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Feeds ciphertext from the network. Decrypted bytes are appended to
  // `plaintext`; bytes to send back (handshake, alerts) to `to_network`.
  // A failed handshake or a corrupt record is an error: close.
  Status FeedCiphertext(std::string_view ciphertext, std::string& plaintext, std::string& to_network);
  // Encrypts application data, appending records to `to_network`.
  // REQUIRES: handshake_done().
  Status Encrypt(std::string_view plaintext, std::string& to_network);
  // Appends a close_notify alert to `to_network`.
  void Shutdown(std::string& to_network);

  bool handshake_done() const { return handshake_done_; }
  // True once the peer sent close_notify.
  bool peer_closed() const { return peer_closed_; }
  TlsInfo info() const;

 private:
  TlsSession(std::shared_ptr<TlsContext> context, SSL* ssl, BIO* in, BIO* out);
  void DrainOutput(std::string& to_network);

  std::shared_ptr<TlsContext> context_;
  SSL* ssl_;
  BIO* in_;   // network -> SSL (owned by ssl_)
  BIO* out_;  // SSL -> network (owned by ssl_)
  bool handshake_done_ = false;
  bool peer_closed_ = false;
};

// Writes a self-signed certificate and key (RSA 2048 or EC P-256) for
// `common_name` to the given paths, key mode 0600. For the demo and tests
// and for `roostctl cert selfsigned`.
Status WriteSelfSignedCertificate(std::string_view common_name, const std::string& cert_file,
                                  const std::string& key_file);

}  // namespace roost::net
