// WriteSelfSignedCertificate: an EC P-256 key and a ten-year self-signed
// X.509 v3 certificate, for the demo, the tests and `roostctl cert
// selfsigned`. Not for production trust: clients must pin it.
//
// Both files are written to a temporary name and renamed into place, so
// a SIGHUP reload never reads half a file; the key is created 0600 from
// the start (never briefly readable by others), the certificate 0644.
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/file_util.h"
#include "net/openssl_util.h"

#include "net/tls.h"

namespace roost::net {
namespace {

constexpr long kValidityDays = 3650;

// The name ends up inside an OpenSSL config string ("DNS:<cn>"), so only
// host-name characters are allowed.
bool IsHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == '_' || c == '*';
    if (!ok) return false;
  }
  return true;
}

Status AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  OpenSslPtr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslStatus(Status::Code::kInternal, fmt::format("adding extension {}", value));
  }
  return Status::Ok();
}

Status SetSerialAndValidity(X509* cert) {
  // RFC 5280 section 4.1.2.2: positive, at most 20 octets, unique per
  // issuer; 63 random bits does that for a self-issuer.
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return OpenSslStatus(Status::Code::kInternal, "RAND_bytes");
  bytes[0] &= 0x7f;
  uint64_t serial = 0;
  for (unsigned char b : bytes) serial = (serial << 8) | b;
  if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(cert), 0) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert), kValidityDays, 0, nullptr) == nullptr) {
    return OpenSslStatus(Status::Code::kInternal, "setting certificate serial and validity");
  }
  return Status::Ok();
}

Result<OpenSslPtr<X509>> BuildCertificate(EVP_PKEY* key, const std::string& cn) {
  OpenSslPtr<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslStatus(Status::Code::kInternal, "X509_new");
  }
  ROOST_RETURN_IF_ERROR(SetSerialAndValidity(cert.get()));
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key) != 1) {
    return OpenSslStatus(Status::Code::kInternal, "setting certificate names");
  }
  ROOST_RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  ROOST_RETURN_IF_ERROR(AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  ROOST_RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  ROOST_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  // Modern clients ignore the CN and match only subjectAltName (RFC 6125).
  ROOST_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_subject_alt_name, fmt::format("DNS:{},IP:127.0.0.1", cn)));
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) {
    return OpenSslStatus(Status::Code::kInternal, "signing certificate");
  }
  return cert;
}

Result<std::string> ToPem(int (*write)(BIO*, void*), void* object, std::string_view what) {
  OpenSslPtr<BIO> mem(BIO_new(BIO_s_mem()));
  if (!mem || write(mem.get(), object) != 1) return OpenSslStatus(Status::Code::kInternal, what);
  BUF_MEM* buf = nullptr;
  BIO_get_mem_ptr(mem.get(), &buf);
  return std::string(buf->data, buf->length);
}

int WriteKeyPem(BIO* bio, void* key) {
  return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(key), nullptr, nullptr, 0, nullptr, nullptr);
}

int WriteCertPem(BIO* bio, void* cert) { return PEM_write_bio_X509(bio, static_cast<X509*>(cert)); }

}  // namespace

Status WriteSelfSignedCertificate(std::string_view common_name, const std::string& cert_file,
                                  const std::string& key_file) {
  if (!IsHostName(common_name)) {
    return Status::InvalidArgument(fmt::format("'{}' is not a host name", common_name));
  }
  ERR_clear_error();
  OpenSslPtr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return OpenSslStatus(Status::Code::kInternal, "generating EC P-256 key");
  ROOST_ASSIGN_OR_RETURN(OpenSslPtr<X509> cert, BuildCertificate(key.get(), std::string(common_name)));
  ROOST_ASSIGN_OR_RETURN(std::string key_pem, ToPem(WriteKeyPem, key.get(), "PEM-encoding key"));
  ROOST_ASSIGN_OR_RETURN(std::string cert_pem, ToPem(WriteCertPem, cert.get(), "PEM-encoding cert"));
  // Key first: a certificate without its key is useless, the reverse is
  // merely incomplete.
  ROOST_RETURN_IF_ERROR(ReplaceFileAtomically(key_file, key_pem, {.mode = 0600, .sync_dir = false}));
  return ReplaceFileAtomically(cert_file, cert_pem, {.mode = 0644, .sync_dir = false});
}

}  // namespace roost::net
