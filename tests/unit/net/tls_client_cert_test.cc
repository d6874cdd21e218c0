// Client certificates: a test CA signs a client certificate; the server,
// configured with that CA, reports the subject and the verification.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>

#include "net/tls.h"
#include "unit/net/tls_test_util.h"

namespace roost::net {
namespace {

using testing::NewCert;
using testing::NewClientCtx;
using testing::NewKey;
using testing::Pump;
using testing::TempDir;
using testing::TestClient;
using testing::WritePem;

class TlsClientCertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    options_.cert_file = dir_.File("server.pem");
    options_.key_file = dir_.File("server.key");
    options_.client_ca_file = dir_.File("ca.pem");
    ASSERT_TRUE(WriteSelfSignedCertificate("localhost", options_.cert_file, options_.key_file).ok());
    ca_key_ = NewKey();
    ca_ = NewCert(ca_key_.get(), "Roost Test CA", nullptr, /*is_ca=*/true);
    ASSERT_TRUE(WritePem(options_.client_ca_file, ca_.get()));
    client_key_ = NewKey();
    client_cert_ = NewCert(client_key_.get(), "alice", "alice@example.org", false, ca_.get(), ca_key_.get());
  }

  std::unique_ptr<TlsSession> Server() {
    auto context = TlsContext::Create(options_);
    EXPECT_TRUE(context.has_value()) << context.status().ToString();
    if (!context.has_value()) return nullptr;
    auto session = TlsSession::NewServer(*context);
    return session.has_value() ? std::move(*session) : nullptr;
  }

  void UseClientCert(TestClient& client, X509* cert, EVP_PKEY* key) {
    ASSERT_EQ(SSL_use_certificate(client.ssl(), cert), 1);
    ASSERT_EQ(SSL_use_PrivateKey(client.ssl(), key), 1);
  }

  TempDir dir_;
  TlsOptions options_;
  OpenSslPtr<EVP_PKEY> ca_key_;
  OpenSslPtr<X509> ca_;
  OpenSslPtr<EVP_PKEY> client_key_;
  OpenSslPtr<X509> client_cert_;
};

TEST_F(TlsClientCertTest, VerifiedClientCertificateIsReported) {
  auto server = Server();
  ASSERT_TRUE(server);
  auto ctx = NewClientCtx();
  TestClient client(ctx.get());
  UseClientCert(client, client_cert_.get(), client_key_.get());
  Status status = Pump(client, *server);
  ASSERT_TRUE(status.ok()) << status.ToString();
  TlsInfo info = server->info();
  RecordProperty("peer_subject", info.peer_subject);
  EXPECT_TRUE(info.peer_verified);
  EXPECT_NE(info.peer_subject.find("CN=alice"), std::string::npos) << info.peer_subject;
  EXPECT_NE(info.peer_subject.find("emailAddress=alice@example.org"), std::string::npos) << info.peer_subject;
}

TEST_F(TlsClientCertTest, VerifiedOverTls12Too) {
  auto server = Server();
  ASSERT_TRUE(server);
  auto ctx = NewClientCtx(0, TLS1_2_VERSION);
  TestClient client(ctx.get());
  UseClientCert(client, client_cert_.get(), client_key_.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  EXPECT_EQ(server->info().version, "TLSv1.2");
  EXPECT_TRUE(server->info().peer_verified);
}

TEST_F(TlsClientCertTest, OptionalCertificateMayBeAbsent) {
  auto server = Server();
  ASSERT_TRUE(server);
  auto ctx = NewClientCtx();
  TestClient client(ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  EXPECT_FALSE(server->info().peer_verified);
  EXPECT_TRUE(server->info().peer_subject.empty());
}

TEST_F(TlsClientCertTest, RequiredCertificateMissingFails) {
  options_.require_client_cert = true;
  auto server = Server();
  ASSERT_TRUE(server);
  auto ctx = NewClientCtx();
  TestClient client(ctx.get());
  Status status = Pump(client, *server);
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(server->handshake_done());
}

TEST_F(TlsClientCertTest, CertificateFromAnotherCaIsRejected) {
  auto server = Server();
  ASSERT_TRUE(server);
  OpenSslPtr<EVP_PKEY> rogue_ca_key = NewKey();
  OpenSslPtr<X509> rogue_ca = NewCert(rogue_ca_key.get(), "Rogue CA", nullptr, true);
  OpenSslPtr<EVP_PKEY> key = NewKey();
  OpenSslPtr<X509> cert = NewCert(key.get(), "mallory", nullptr, false, rogue_ca.get(), rogue_ca_key.get());
  auto ctx = NewClientCtx();
  TestClient client(ctx.get());
  UseClientCert(client, cert.get(), key.get());
  Status status = Pump(client, *server);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kPermissionDenied) << status.ToString();
  EXPECT_FALSE(server->handshake_done());
}

}  // namespace
}  // namespace roost::net
