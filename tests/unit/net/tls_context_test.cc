// TlsContext::Create: what it refuses (world-readable keys, mismatched or
// missing files, bad options) and the SSL_CTX settings it must make.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <string>

#include "net/tls.h"
#include "unit/net/tls_test_util.h"

namespace roost::net {
namespace {

using testing::TempDir;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    options_.cert_file = dir_.File("cert.pem");
    options_.key_file = dir_.File("key.pem");
    Status status = WriteSelfSignedCertificate("mail.example.org", options_.cert_file, options_.key_file);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  TempDir dir_;
  TlsOptions options_;
};

TEST_F(TlsContextTest, SetsModesAndOptions) {
  auto context = TlsContext::Create(options_);
  ASSERT_TRUE(context.has_value()) << context.status().ToString();
  SSL_CTX* ctx = (*context)->native();
  EXPECT_NE(SSL_CTX_get_mode(ctx) & SSL_MODE_RELEASE_BUFFERS, 0u);
  EXPECT_EQ(SSL_CTX_get_mode(ctx) & SSL_MODE_ENABLE_PARTIAL_WRITE, 0u);
  uint64_t opts = SSL_CTX_get_options(ctx);
  EXPECT_NE(opts & SSL_OP_CIPHER_SERVER_PREFERENCE, 0u);
  EXPECT_NE(opts & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_NE(opts & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_verify_mode(ctx), SSL_VERIFY_NONE);
}

TEST_F(TlsContextTest, Tls13Minimum) {
  options_.min_version = "TLSv1.3";
  auto context = TlsContext::Create(options_);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*context)->native()), TLS1_3_VERSION);
}

TEST_F(TlsContextTest, WorldReadableKeyIsRefused) {
  ASSERT_EQ(::chmod(options_.key_file.c_str(), 0644), 0);
  auto context = TlsContext::Create(options_);
  ASSERT_FALSE(context.has_value());
  EXPECT_EQ(context.error().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(context.error().message().find(options_.key_file), std::string_view::npos);
  EXPECT_NE(context.error().message().find("world-readable"), std::string_view::npos);
}

TEST_F(TlsContextTest, GroupReadableKeyIsAccepted) {
  ASSERT_EQ(::chmod(options_.key_file.c_str(), 0640), 0);
  EXPECT_TRUE(TlsContext::Create(options_).has_value());
}

TEST_F(TlsContextTest, MissingCertificateNamesTheFile) {
  options_.cert_file = dir_.File("nope.pem");
  auto context = TlsContext::Create(options_);
  ASSERT_FALSE(context.has_value());
  EXPECT_NE(context.error().message().find("nope.pem"), std::string_view::npos);
  // OpenSSL's own reason is part of the message.
  EXPECT_NE(context.error().message().find("error:"), std::string_view::npos) << context.error().ToString();
}

TEST_F(TlsContextTest, MissingKeyNamesTheFile) {
  options_.key_file = dir_.File("nokey.pem");
  auto context = TlsContext::Create(options_);
  ASSERT_FALSE(context.has_value());
  EXPECT_NE(context.error().message().find("nokey.pem"), std::string_view::npos);
}

TEST_F(TlsContextTest, MismatchedKeyIsRefused) {
  std::string other_cert = dir_.File("other_cert.pem");
  std::string other_key = dir_.File("other_key.pem");
  ASSERT_TRUE(WriteSelfSignedCertificate("other.example.org", other_cert, other_key).ok());
  options_.key_file = other_key;
  auto context = TlsContext::Create(options_);
  ASSERT_FALSE(context.has_value());
  // OpenSSL notices while loading the key ("key values mismatch").
  EXPECT_NE(context.error().message().find("other_key.pem"), std::string_view::npos);
  EXPECT_NE(context.error().message().find("mismatch"), std::string_view::npos) << context.error().ToString();
}

TEST_F(TlsContextTest, BadOptionsAreRefused) {
  TlsOptions bad = options_;
  bad.min_version = "TLSv1.1";
  EXPECT_FALSE(TlsContext::Create(bad).has_value());
  bad = options_;
  bad.ciphers = "NO-SUCH-CIPHER";
  EXPECT_FALSE(TlsContext::Create(bad).has_value());
  bad = options_;
  bad.require_client_cert = true;  // without a CA file
  EXPECT_FALSE(TlsContext::Create(bad).has_value());
  bad = options_;
  bad.client_ca_file = dir_.File("no_ca.pem");
  auto context = TlsContext::Create(bad);
  ASSERT_FALSE(context.has_value());
  EXPECT_NE(context.error().message().find("no_ca.pem"), std::string_view::npos);
}

TEST_F(TlsContextTest, ClientCaSetsVerifyMode) {
  options_.client_ca_file = options_.cert_file;  // any PEM certificate will do
  auto optional = TlsContext::Create(options_);
  ASSERT_TRUE(optional.has_value()) << optional.status().ToString();
  EXPECT_EQ(SSL_CTX_get_verify_mode((*optional)->native()), SSL_VERIFY_PEER);
  options_.require_client_cert = true;
  auto required = TlsContext::Create(options_);
  ASSERT_TRUE(required.has_value());
  EXPECT_EQ(SSL_CTX_get_verify_mode((*required)->native()),
            SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
}

}  // namespace
}  // namespace roost::net
