// Test helpers for net/tls: an OpenSSL client over memory BIOs to pair
// with a server TlsSession without any socket, a pump that moves bytes
// between them, and certificate/CA builders for client-certificate tests.
//
// Thread affinity: single-threaded test code.
#pragma once

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "net/openssl_util.h"
#include "net/tls.h"

namespace roost::net::testing {

// A scratch directory removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "roost_tls_XXXXXX";
    path_ = mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }
  bool ok() const { return !path_.empty(); }

 private:
  std::string path_;
};

inline OpenSslPtr<SSL_CTX> NewClientCtx(int min_version = 0, int max_version = 0) {
  OpenSslPtr<SSL_CTX> ctx(SSL_CTX_new(TLS_client_method()));
  if (min_version != 0) {
    // Old protocol versions need SHA-1/MD5 based PRFs, refused above
    // security level 0 in OpenSSL 3.
    SSL_CTX_set_security_level(ctx.get(), 0);
    SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  }
  if (max_version != 0) SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  return ctx;
}

// A client SSL on memory BIOs.
class TestClient {
 public:
  explicit TestClient(SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in_, -1);
    BIO_set_mem_eof_return(out_, -1);
    SSL_set_bio(ssl_.get(), in_, out_);
    SSL_set_connect_state(ssl_.get());
    SSL_set_tlsext_host_name(ssl_.get(), "localhost");
  }
  SSL* ssl() { return ssl_.get(); }
  bool handshake_done() { return SSL_is_init_finished(ssl_.get()) == 1; }

  // Advances the handshake as far as input allows; true unless it failed.
  bool Handshake() {
    if (handshake_done()) return true;
    int r = SSL_do_handshake(ssl_.get());
    if (r == 1) return true;
    int err = SSL_get_error(ssl_.get(), r);
    return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
  }
  void Receive(std::string_view bytes) {
    if (!bytes.empty()) BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
  }
  void Write(std::string_view data) {
    ASSERT_EQ(SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size())),
              static_cast<int>(data.size()));
  }
  // Reads all decryptable plaintext; sets closed() on close_notify.
  std::string Read() {
    std::string text;
    char buf[16384];
    for (;;) {
      int n = SSL_read(ssl_.get(), buf, sizeof(buf));
      if (n > 0) {
        text.append(buf, static_cast<size_t>(n));
        continue;
      }
      last_error_ = SSL_get_error(ssl_.get(), n);
      if (last_error_ == SSL_ERROR_ZERO_RETURN) closed_ = true;
      return text;
    }
  }
  std::string TakeOutput() {
    std::string bytes(BIO_ctrl_pending(out_), '\0');
    if (!bytes.empty()) BIO_read(out_, bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
  }
  bool closed() const { return closed_; }
  int last_error() const { return last_error_; }

 private:
  OpenSslPtr<SSL> ssl_;
  BIO* in_;
  BIO* out_;
  bool closed_ = false;
  int last_error_ = 0;
};

// Feeds `bytes` to the server, one byte per call when `bytewise`.
inline Status FeedServer(TlsSession& server, std::string_view bytes, bool bytewise, std::string& plaintext,
                         std::string& to_client) {
  if (!bytewise) return server.FeedCiphertext(bytes, plaintext, to_client);
  for (char c : bytes) {
    ROOST_RETURN_IF_ERROR(server.FeedCiphertext(std::string_view(&c, 1), plaintext, to_client));
  }
  return Status::Ok();
}

// Runs both handshakes to completion (bounded rounds). Plaintext the
// server decrypted on the way is appended to `server_plaintext`.
inline Status Pump(TestClient& client, TlsSession& server, bool bytewise = false,
                   std::string* server_plaintext = nullptr) {
  std::string ignored;
  std::string& plaintext = server_plaintext ? *server_plaintext : ignored;
  for (int round = 0; round < 10; ++round) {
    if (!client.Handshake()) return Status::Internal("client handshake failed: " + DrainOpenSslErrors());
    std::string to_server = client.TakeOutput();
    std::string to_client;
    ROOST_RETURN_IF_ERROR(FeedServer(server, to_server, bytewise, plaintext, to_client));
    client.Receive(to_client);
    if (to_server.empty() && to_client.empty() && client.handshake_done() && server.handshake_done()) {
      return Status::Ok();
    }
  }
  return Status::Internal("handshake did not finish in 10 rounds");
}

inline OpenSslPtr<EVP_PKEY> NewKey() {
  return OpenSslPtr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

inline void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named CN=<cn> (plus emailAddress when given),
// signed by issuer/issuer_key, or self-signed when issuer is null.
inline OpenSslPtr<X509> NewCert(EVP_PKEY* key, const char* cn, const char* email, bool is_ca,
                                X509* issuer = nullptr, EVP_PKEY* issuer_key = nullptr) {
  OpenSslPtr<X509> cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  static long serial = 1;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  if (email != nullptr) {
    X509_NAME_add_entry_by_txt(name, "emailAddress", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(email), -1, -1, 0);
  }
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  X509_set_pubkey(cert.get(), key);
  AddExt(cert.get(), signer, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (is_ca) AddExt(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  if (!is_ca) AddExt(cert.get(), signer, NID_ext_key_usage, "clientAuth");
  X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256());
  return cert;
}

inline bool WritePem(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  bool ok = PEM_write_X509(f, cert) == 1;
  std::fclose(f);
  return ok;
}

}  // namespace roost::net::testing
