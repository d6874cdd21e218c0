#include "auth/password_scheme.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "auth/cram_md5.h"
#include "auth/encoding.h"

namespace roost::auth {
namespace {

enum class Kind { kDigest, kSaltedDigest, kMd5Ambiguous, kHexMd5, kPlain, kCramMd5, kCrypt };

struct SchemeSpec {
  std::string_view name;
  Kind kind;
  const EVP_MD* (*md)();
};

const SchemeSpec kSchemes[] = {
    {"SHA", Kind::kDigest, EVP_sha1},
    {"SHA1", Kind::kDigest, EVP_sha1},
    {"SHA256", Kind::kDigest, EVP_sha256},
    {"SHA512", Kind::kDigest, EVP_sha512},
    {"SSHA", Kind::kSaltedDigest, EVP_sha1},
    {"SSHA256", Kind::kSaltedDigest, EVP_sha256},
    {"SSHA512", Kind::kSaltedDigest, EVP_sha512},
    {"SMD5", Kind::kSaltedDigest, EVP_md5},
    {"MD5", Kind::kMd5Ambiguous, EVP_md5},
    {"PLAIN-MD5", Kind::kDigest, EVP_md5},
    {"LDAP-MD5", Kind::kDigest, EVP_md5},
    {"MD5RAW", Kind::kHexMd5, EVP_md5},
    {"PLAIN", Kind::kPlain, nullptr},
    {"CLEAR", Kind::kPlain, nullptr},
    {"CLEARTEXT", Kind::kPlain, nullptr},
    {"CRAM-MD5", Kind::kCramMd5, nullptr},
    {"CRYPT", Kind::kCrypt, nullptr},
    {"MD5-CRYPT", Kind::kCrypt, nullptr},
    {"SHA256-CRYPT", Kind::kCrypt, nullptr},
    {"SHA512-CRYPT", Kind::kCrypt, nullptr},
    {"BLF-CRYPT", Kind::kCrypt, nullptr},
    {"DES-CRYPT", Kind::kCrypt, nullptr},
};

const SchemeSpec* FindScheme(std::string_view name) {
  for (const SchemeSpec& s : kSchemes) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Digest(const EVP_MD* md, std::string_view a, std::string_view b = {}) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    return std::string();  // only on allocation failure; never equals a real digest
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

// Equal-length constant-time comparison; different lengths are a mismatch.
bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// Digest encodings seen in the wild: hex when the length says so, else base64.
std::optional<std::string> DecodeDigest(std::string_view text, size_t digest_len) {
  if (text.size() == 2 * digest_len && IsHex(text)) return HexDecode(text);
  return Base64Decode(text);
}

Status Malformed(std::string_view what) { return Status::InvalidArgument(what); }

Result<bool> VerifyCrypt(std::string_view setting, std::string_view password) {
  if (setting.find('\0') != std::string_view::npos) return Malformed("NUL in crypt hash");
  // crypt(3) stops at NUL; a password containing one can never be what the
  // user set through a C API, and must not match its truncation.
  if (password.find('\0') != std::string_view::npos) return false;
  std::string setting_z(setting), password_z(password);
  auto data = std::make_unique<crypt_data>();  // ~32 KB: keep it off the stack
  char* out = crypt_rn(password_z.c_str(), setting_z.c_str(), data.get(), sizeof(crypt_data));
  OPENSSL_cleanse(password_z.data(), password_z.size());
  // libxcrypt returns NULL (or a "*"-prefixed failure token) for settings it
  // cannot parse.
  bool rejected = out == nullptr || out[0] == '*';
  bool match = !rejected && SameBytes(out, setting);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  if (rejected) return Malformed("crypt(3) rejected the stored hash");
  return match;
}

Result<bool> VerifyDigest(const SchemeSpec& spec, std::string_view value, std::string_view password) {
  const EVP_MD* md = spec.md();
  size_t len = static_cast<size_t>(EVP_MD_get_size(md));
  std::optional<std::string> decoded = spec.kind == Kind::kHexMd5 ? HexDecode(value) : DecodeDigest(value, len);
  if (!decoded) return Malformed("stored digest is not valid base64/hex");
  if (spec.kind == Kind::kSaltedDigest) {
    if (decoded->size() <= len) return Malformed("salted digest too short");
    std::string_view salt = std::string_view(*decoded).substr(len);
    return SameBytes(Digest(md, password, salt), std::string_view(*decoded).substr(0, len));
  }
  if (decoded->size() != len) return Malformed("stored digest has the wrong length");
  return SameBytes(Digest(md, password), *decoded);
}

}  // namespace

std::pair<std::string, std::string_view> SplitScheme(std::string_view stored) {
  if (stored.size() < 2 || stored[0] != '{') return {std::string(), stored};
  size_t close = stored.find('}');
  // Courier's prefixes are short; a long brace group is a crypt salt or junk.
  if (close == std::string_view::npos || close > 32) return {std::string(), stored};
  return {Upper(stored.substr(1, close - 1)), stored.substr(close + 1)};
}

Result<bool> VerifyPassword(std::string_view stored, std::string_view password) {
  if (stored.empty() || stored[0] == '!' || stored[0] == '*') return false;
  auto [scheme, value] = SplitScheme(stored);
  if (scheme.empty()) return VerifyCrypt(stored, password);
  const SchemeSpec* spec = FindScheme(scheme);
  if (spec == nullptr) return Malformed("unknown password scheme {" + scheme + "}");
  switch (spec->kind) {
    case Kind::kCrypt:
      return VerifyCrypt(value, password);
    case Kind::kMd5Ambiguous:
      // Dovecot uses {MD5} for MD5-crypt, Courier for a base64 MD5 digest.
      if (value.substr(0, 3) == "$1$") return VerifyCrypt(value, password);
      return VerifyDigest(*spec, value, password);
    case Kind::kPlain: {
      const EVP_MD* md = EVP_sha256();
      return SameBytes(Digest(md, "plain:", value), Digest(md, "plain:", password));
    }
    case Kind::kCramMd5: {
      std::optional<std::string> context = HexDecode(value);
      if (!context || context->size() != kCramMd5ContextSize) {
        return Malformed("{CRAM-MD5} needs 64 hex digits");
      }
      return SameBytes(CramMd5Precompute(password), *context);
    }
    case Kind::kDigest:
    case Kind::kSaltedDigest:
    case Kind::kHexMd5:
      return VerifyDigest(*spec, value, password);
  }
  return Malformed("unhandled scheme");
}

std::optional<std::string> PlainFromStored(std::string_view stored) {
  auto [scheme, value] = SplitScheme(stored);
  const SchemeSpec* spec = FindScheme(scheme);
  if (spec == nullptr || spec->kind != Kind::kPlain) return std::nullopt;
  return std::string(value);
}

std::optional<std::string> CramMd5ContextFromStored(std::string_view stored) {
  if (std::optional<std::string> plain = PlainFromStored(stored)) return CramMd5Precompute(*plain);
  auto [scheme, value] = SplitScheme(stored);
  if (scheme != "CRAM-MD5") return std::nullopt;
  std::optional<std::string> context = HexDecode(value);
  if (!context || context->size() != kCramMd5ContextSize) return std::nullopt;
  return context;
}

namespace {

Result<std::string> CryptHash(std::string_view password, const char* prefix) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  // count 0 = the library's default cost; nullptr = libcrypt reads the OS
  // random source itself.
  if (crypt_gensalt_rn(prefix, 0, nullptr, 0, setting, sizeof setting) == nullptr) {
    return Status::Internal(std::string("crypt_gensalt_rn failed for ") + prefix);
  }
  std::string password_z(password);
  auto data = std::make_unique<crypt_data>();
  char* out = crypt_rn(password_z.c_str(), setting, data.get(), sizeof(crypt_data));
  OPENSSL_cleanse(password_z.data(), password_z.size());
  if (out == nullptr || out[0] == '*') return Status::Internal("crypt_rn failed");
  std::string hash(out);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return hash;
}

Result<std::string> SaltedHash(std::string_view password, std::string_view scheme, const EVP_MD* md) {
  unsigned char salt[8];
  if (RAND_bytes(salt, sizeof salt) != 1) return Status::Internal("RAND_bytes failed");
  std::string_view salt_view(reinterpret_cast<const char*>(salt), sizeof salt);
  std::string digest = Digest(md, password, salt_view);
  if (digest.empty()) return Status::Internal("digest failed");
  return "{" + std::string(scheme) + "}" + Base64Encode(digest.append(salt_view));
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, std::string_view scheme) {
  if (password.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("password contains NUL");
  }
  std::string s = Upper(scheme);
  if (s == "YESCRYPT") return CryptHash(password, "$y$");
  if (s == "SHA512-CRYPT") return CryptHash(password, "$6$");
  if (s == "SHA256-CRYPT") return CryptHash(password, "$5$");
  if (s == "BCRYPT" || s == "BLF-CRYPT") return CryptHash(password, "$2b$");
  if (s == "SSHA") return SaltedHash(password, s, EVP_sha1());
  if (s == "SSHA256") return SaltedHash(password, s, EVP_sha256());
  if (s == "SSHA512") return SaltedHash(password, s, EVP_sha512());
  if (s == "PLAIN") return "{PLAIN}" + std::string(password);
  if (s == "CRAM-MD5") return "{CRAM-MD5}" + HexEncode(CramMd5Precompute(password));
  return Status::NotSupported("unknown password scheme");
}

}  // namespace roost::auth
