// TlsContext: one immutable SSL_CTX per configuration generation.
//
// Choices, and why:
// - TLS 1.2 minimum (RFC 8996 deprecates 1.0 and 1.1); TLS 1.3 suites are
//   OpenSSL's defaults, the 1.2 list comes from the options.
// - Server cipher preference, so a client cannot steer us to its weakest
//   suite; no compression (CRIME); no renegotiation (RFC 5746 problems and
//   a cheap CPU DoS).
// - SSL_MODE_RELEASE_BUFFERS: an idle IMAP connection (IDLE can last 29
//   minutes, RFC 2177) frees its ~34 KB of record buffers.
// - The key file is refused when world-readable: a leaked key is worse
//   than a server that does not start.
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <cerrno>

#include "net/openssl_util.h"
#include "net/tls.h"

namespace roost::net {
namespace {

// Same bytes for every context: sessions resumed across a SIGHUP reload
// must still match (OpenSSL refuses resumption with client verification
// when no session id context is set).
constexpr unsigned char kSessionIdContext[] = "roost";

Result<int> ParseMinVersion(const std::string& name) {
  if (name == "TLSv1.2") return TLS1_2_VERSION;
  if (name == "TLSv1.3") return TLS1_3_VERSION;
  return Status::InvalidArgument(fmt::format("unsupported TLS min_version '{}' (TLSv1.2 or TLSv1.3)", name));
}

Status CheckKeyFileMode(const std::string& key_file) {
  struct stat st {};
  if (::stat(key_file.c_str(), &st) != 0) {
    return Status::FromErrno(errno, fmt::format("stat(TLS key file {})", key_file));
  }
  if ((st.st_mode & S_IROTH) != 0) {
    return Status::PermissionDenied(
        fmt::format("TLS key file {} is world-readable (mode {:04o}); run chmod 600 on it", key_file,
                    st.st_mode & 07777));
  }
  return Status::Ok();
}

Status LoadCertificateAndKey(SSL_CTX* ctx, const TlsOptions& options) {
  if (options.cert_file.empty() || options.key_file.empty()) {
    return Status::InvalidArgument("TLS needs both cert_file and key_file");
  }
  ROOST_RETURN_IF_ERROR(CheckKeyFileMode(options.key_file));
  if (SSL_CTX_use_certificate_chain_file(ctx, options.cert_file.c_str()) != 1) {
    return OpenSslStatus(Status::Code::kInvalidArgument,
                         fmt::format("loading TLS certificate chain {}", options.cert_file));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return OpenSslStatus(Status::Code::kInvalidArgument, fmt::format("loading TLS key {}", options.key_file));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return OpenSslStatus(
        Status::Code::kInvalidArgument,
        fmt::format("TLS key {} does not match certificate {}", options.key_file, options.cert_file));
  }
  return Status::Ok();
}

// Client certificates (RFC 8446 section 4.3.2 / RFC 5246 section 7.4.4):
// the CA file both verifies the chain and names the acceptable CAs in the
// CertificateRequest, so clients with several certificates pick the right
// one.
Status ConfigureClientVerification(SSL_CTX* ctx, const TlsOptions& options) {
  if (options.client_ca_file.empty()) {
    if (options.require_client_cert) {
      return Status::InvalidArgument("require_client_cert needs client_ca_file");
    }
    return Status::Ok();
  }
  const char* file = options.client_ca_file.c_str();
  if (SSL_CTX_load_verify_locations(ctx, file, nullptr) != 1) {
    return OpenSslStatus(Status::Code::kInvalidArgument,
                         fmt::format("loading TLS client CA file {}", options.client_ca_file));
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(file);
  if (names == nullptr) {
    return OpenSslStatus(Status::Code::kInvalidArgument,
                         fmt::format("reading CA names from {}", options.client_ca_file));
  }
  SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
  int mode = SSL_VERIFY_PEER;
  if (options.require_client_cert) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(ctx, mode, nullptr);
  return Status::Ok();
}

Status Configure(SSL_CTX* ctx, const TlsOptions& options) {
  ROOST_ASSIGN_OR_RETURN(int min_version, ParseMinVersion(options.min_version));
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) {
    return OpenSslStatus(Status::Code::kInternal, "setting TLS min version");
  }
  if (SSL_CTX_set_cipher_list(ctx, options.ciphers.c_str()) != 1) {
    return OpenSslStatus(Status::Code::kInvalidArgument,
                         fmt::format("TLS cipher list '{}'", options.ciphers));
  }
  // (OpenSSL 3 already refuses client-initiated renegotiation unless
  // SSL_OP_ALLOW_CLIENT_RENEGOTIATION is set; NO_RENEGOTIATION covers the
  // rest.)
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Partial writes stay off: Encrypt() hands over whole buffers and the
  // memory BIO never refuses them.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof(kSessionIdContext) - 1) != 1) {
    return OpenSslStatus(Status::Code::kInternal, "setting TLS session id context");
  }
  ROOST_RETURN_IF_ERROR(LoadCertificateAndKey(ctx, options));
  return ConfigureClientVerification(ctx, options);
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Create(const TlsOptions& options) {
  ERR_clear_error();
  OpenSslPtr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return OpenSslStatus(Status::Code::kInternal, "SSL_CTX_new");
  ROOST_RETURN_IF_ERROR(Configure(ctx.get(), options));
  return std::shared_ptr<TlsContext>(new TlsContext(ctx.release()));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace roost::net
