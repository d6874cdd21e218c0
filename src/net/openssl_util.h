// Small helpers shared by the TLS files: RAII owners for OpenSSL objects
// and the one place that turns OpenSSL's error queue into text.
//
// OpenSSL keeps errors in a per-thread queue. Callers clear it
// (ERR_clear_error) before an operation so a stale entry left by some
// other code on the same thread is never blamed on this one.
//
// Thread affinity: pure helpers; the error queue they read is the calling
// thread's own.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace roost::net {

struct OpenSslFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
  void operator()(SSL* p) const { SSL_free(p); }
  void operator()(BIO* p) const { BIO_free_all(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree>;

// Pops every entry of the calling thread's error queue and joins their
// strings ("error:0A00010B:SSL routines::wrong version number; ...").
// Returns "no OpenSSL error reported" when the queue is empty.
std::string DrainOpenSslErrors();

// "<what>: <drained OpenSSL errors>" as a Status with the given code.
Status OpenSslStatus(Status::Code code, std::string_view what);

}  // namespace roost::net
