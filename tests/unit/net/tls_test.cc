// TlsContext / TlsSession / WriteSelfSignedCertificate, paired with an
// OpenSSL client over memory BIOs: no sockets, no threads, no timing.
#include "net/tls.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "unit/net/tls_test_util.h"

namespace roost::net {
namespace {

using testing::NewClientCtx;
using testing::Pump;
using testing::TempDir;
using testing::TestClient;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    cert_ = dir_.File("cert.pem");
    key_ = dir_.File("key.pem");
    Status status = WriteSelfSignedCertificate("localhost", cert_, key_);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  TlsOptions Options() const {
    TlsOptions options;
    options.cert_file = cert_;
    options.key_file = key_;
    return options;
  }

  std::shared_ptr<TlsContext> Context(const TlsOptions& options) {
    auto context = TlsContext::Create(options);
    EXPECT_TRUE(context.has_value()) << context.status().ToString();
    return context.has_value() ? *context : nullptr;
  }

  std::unique_ptr<TlsSession> Server(const TlsOptions& options) {
    std::shared_ptr<TlsContext> context = Context(options);
    if (!context) return nullptr;
    auto session = TlsSession::NewServer(context);
    EXPECT_TRUE(session.has_value());
    return session.has_value() ? std::move(*session) : nullptr;
  }

  TempDir dir_;
  std::string cert_;
  std::string key_;
};

TEST_F(TlsTest, SelfSignedCertificateHasModesNamesAndValidity) {
  struct stat st {};
  ASSERT_EQ(::stat(key_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(cert_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  FILE* f = std::fopen(cert_.c_str(), "r");
  ASSERT_NE(f, nullptr);
  OpenSslPtr<X509> cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(EVP_PKEY_get_id(X509_get0_pubkey(cert.get())), EVP_PKEY_EC);
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())),
            1);
  EXPECT_GE(days, 3649);
}

TEST_F(TlsTest, SelfSignedRejectsOddCommonName) {
  EXPECT_FALSE(WriteSelfSignedCertificate("a,IP:1.2.3.4", cert_, key_).ok());
  EXPECT_FALSE(WriteSelfSignedCertificate("", cert_, key_).ok());
}

TEST_F(TlsTest, HandshakeAndDataBothWays) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  // The client trusts exactly the generated certificate and checks its name.
  ASSERT_EQ(SSL_CTX_load_verify_locations(client_ctx.get(), cert_.c_str(), nullptr), 1);
  SSL_CTX_set_verify(client_ctx.get(), SSL_VERIFY_PEER, nullptr);
  TestClient client(client_ctx.get());
  ASSERT_EQ(SSL_set1_host(client.ssl(), "localhost"), 1);
  Status status = Pump(client, *server);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(SSL_get_verify_result(client.ssl()), X509_V_OK);

  TlsInfo info = server->info();
  EXPECT_EQ(info.version, "TLSv1.3");
  EXPECT_FALSE(info.cipher.empty());
  EXPECT_TRUE(info.peer_subject.empty());
  EXPECT_FALSE(info.peer_verified);

  client.Write("a001 NOOP\r\n");
  std::string plaintext, to_client;
  ASSERT_TRUE(server->FeedCiphertext(client.TakeOutput(), plaintext, to_client).ok());
  EXPECT_EQ(plaintext, "a001 NOOP\r\n");

  to_client.clear();
  ASSERT_TRUE(server->Encrypt("a001 OK NOOP done\r\n", to_client).ok());
  client.Receive(to_client);
  EXPECT_EQ(client.Read(), "a001 OK NOOP done\r\n");
}

TEST_F(TlsTest, Tls12Handshake) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx(0, TLS1_2_VERSION);
  TestClient client(client_ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  EXPECT_EQ(server->info().version, "TLSv1.2");
  // ECDHE with an AEAD: the default list has no CBC and no RSA key exchange.
  EXPECT_NE(server->info().cipher.find("ECDHE"), std::string::npos) << server->info().cipher;
  EXPECT_NE(server->info().cipher.find("GCM"), std::string::npos) << server->info().cipher;
}

TEST_F(TlsTest, ByteAtATimeGivesSamePlaintext) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  Status status = Pump(client, *server, /*bytewise=*/true);
  ASSERT_TRUE(status.ok()) << status.ToString();

  std::string message;
  for (int i = 0; i < 500; ++i) message += "line " + std::to_string(i) + "\r\n";
  client.Write(message);
  client.Write("tail");
  std::string records = client.TakeOutput();
  std::string plaintext, to_client;
  for (char c : records) {
    ASSERT_TRUE(server->FeedCiphertext(std::string_view(&c, 1), plaintext, to_client).ok());
  }
  EXPECT_EQ(plaintext, message + "tail");
}

TEST_F(TlsTest, DataInTheSameFlightAsClientFinished) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  ASSERT_TRUE(client.Handshake());
  std::string plaintext, to_client;
  ASSERT_TRUE(server->FeedCiphertext(client.TakeOutput(), plaintext, to_client).ok());
  client.Receive(to_client);
  ASSERT_TRUE(client.Handshake());
  ASSERT_TRUE(client.handshake_done());  // TLS 1.3: the client may talk now
  client.Write("a1 CAPABILITY\r\n");
  to_client.clear();
  ASSERT_TRUE(server->FeedCiphertext(client.TakeOutput(), plaintext, to_client).ok());
  EXPECT_TRUE(server->handshake_done());
  EXPECT_EQ(plaintext, "a1 CAPABILITY\r\n");
}

TEST_F(TlsTest, LargeTransfersBothWays) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());

  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  std::string to_client;
  ASSERT_TRUE(server->Encrypt(big, to_client).ok());
  EXPECT_GT(to_client.size(), big.size());
  client.Receive(to_client);
  EXPECT_EQ(client.Read(), big);

  client.Write(big);
  std::string plaintext;
  to_client.clear();
  ASSERT_TRUE(server->FeedCiphertext(client.TakeOutput(), plaintext, to_client).ok());
  EXPECT_EQ(plaintext, big);
  // Small traffic still works after the session swapped its grown BIOs.
  to_client.clear();
  ASSERT_TRUE(server->Encrypt("* OK\r\n", to_client).ok());
  client.Receive(to_client);
  EXPECT_EQ(client.Read(), "* OK\r\n");
}

TEST_F(TlsTest, Tls11ClientIsRejected) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx(TLS1_VERSION, TLS1_1_VERSION);
  TestClient client(client_ctx.get());
  ASSERT_TRUE(client.Handshake());
  std::string hello = client.TakeOutput();
  ASSERT_FALSE(hello.empty());
  std::string plaintext, to_client;
  Status status = server->FeedCiphertext(hello, plaintext, to_client);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.ToString().find("unsupported protocol"), std::string::npos) << status.ToString();
  EXPECT_FALSE(to_client.empty());  // the protocol_version alert
  EXPECT_FALSE(server->handshake_done());
}

TEST_F(TlsTest, Tls13MinimumRejectsTls12Client) {
  TlsOptions options = Options();
  options.min_version = "TLSv1.3";
  auto server = Server(options);
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx(0, TLS1_2_VERSION);
  TestClient client(client_ctx.get());
  EXPECT_FALSE(Pump(client, *server).ok());
}

TEST_F(TlsTest, GarbageCiphertextIsAnError) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  std::string plaintext, to_client;
  Status status = server->FeedCiphertext("GET / HTTP/1.1\r\nHost: x\r\n\r\n", plaintext, to_client);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.ToString().find("TLS handshake failed"), std::string::npos);
  EXPECT_NE(status.ToString().find("SSL routines"), std::string::npos) << status.ToString();
}

TEST_F(TlsTest, CorruptRecordAfterHandshakeIsAnError) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  client.Write("a2 LOGOUT\r\n");
  std::string record = client.TakeOutput();
  ASSERT_GT(record.size(), 10u);
  record[8] ^= 0x40;  // inside the encrypted payload
  std::string plaintext, to_client;
  Status status = server->FeedCiphertext(record, plaintext, to_client);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(plaintext.empty());
}

TEST_F(TlsTest, PeerCloseNotifyIsDetected) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  client.Write("bye");
  SSL_shutdown(client.ssl());
  std::string plaintext, to_client;
  ASSERT_TRUE(server->FeedCiphertext(client.TakeOutput(), plaintext, to_client).ok());
  EXPECT_EQ(plaintext, "bye");
  EXPECT_TRUE(server->peer_closed());
}

TEST_F(TlsTest, ShutdownSendsCloseNotify) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  auto client_ctx = NewClientCtx();
  TestClient client(client_ctx.get());
  ASSERT_TRUE(Pump(client, *server).ok());
  std::string to_client;
  server->Shutdown(to_client);
  ASSERT_FALSE(to_client.empty());
  client.Receive(to_client);
  client.Read();
  EXPECT_TRUE(client.closed());
}

TEST_F(TlsTest, EncryptBeforeHandshakeFails) {
  auto server = Server(Options());
  ASSERT_TRUE(server);
  std::string to_client;
  EXPECT_FALSE(server->Encrypt("early", to_client).ok());
}

}  // namespace
}  // namespace roost::net
