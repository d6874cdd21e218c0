#include "server/config.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace roost::server {
namespace {

using ::testing::HasSubstr;

Result<Config> Load(std::vector<ConfigSource> files, const std::string& dir = "/etc/roost") {
  return LoadConfigFromStrings(files, dir);
}

Result<Config> LoadOne(const std::string& text) { return Load({{"roost.toml", text}}); }

std::string ErrorOf(const Result<Config>& result) {
  EXPECT_FALSE(result.has_value());
  return result.has_value() ? std::string() : std::string(result.error().message());
}

constexpr const char* kTls = "[tls]\ncert = \"cert.pem\"\nkey = \"key.pem\"\n";

TEST(ConfigTest, EmptyFileGivesDocumentedDefaults) {
  Result<Config> config = LoadOne("");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  const ServerSection& s = config->server;
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  EXPECT_EQ(s.hostname, host);
  EXPECT_EQ(s.io_threads, 1u);
  EXPECT_EQ(s.workers, 0u);
  EXPECT_EQ(s.io_backend, net::IoBackend::kAuto);
  EXPECT_EQ(s.user, "");
  EXPECT_EQ(s.group, "");
  EXPECT_EQ(s.shutdown_timeout, std::chrono::seconds(10));
  EXPECT_EQ(s.max_connections_per_ip, 0u);
  EXPECT_EQ(config->log.level, "info");
  EXPECT_EQ(config->log.format, "text");
  EXPECT_EQ(config->log.file, "");
  EXPECT_FALSE(config->tls.configured);
  EXPECT_EQ(config->tls.options.min_version, "TLSv1.2");
  EXPECT_EQ(config->tls.options.ciphers, net::TlsOptions().ciphers);
  EXPECT_EQ(config->admin_address, "127.0.0.1:8026");

  const ProtocolLimits& l = config->limits;
  EXPECT_EQ(l.pre_auth.max_line, 8192u);
  EXPECT_EQ(l.pre_auth.max_literal, 8192u);
  EXPECT_EQ(l.post_auth.max_line, 65536u);
  EXPECT_EQ(l.post_auth.max_literal, 67108864u);
  EXPECT_EQ(l.output_soft, 262144u);
  EXPECT_EQ(l.output_hard, 16777216u);
  EXPECT_EQ(l.pipeline_post_auth, 32u);
  EXPECT_EQ(l.pipeline_pre_auth, 1u);

  // Without [tls]: one plaintext IMAP listener.
  ASSERT_EQ(config->listeners.size(), 1u);
  EXPECT_EQ(config->listeners[0].name, "imap");
  EXPECT_EQ(config->listeners[0].protocol, "imap");
  EXPECT_EQ(config->listeners[0].address, "127.0.0.1:143");
  EXPECT_EQ(config->listeners[0].tls, TlsMode::kNone);
  EXPECT_FALSE(config->listeners[0].proxy_protocol);
}

TEST(ConfigTest, DefaultListenersWithTlsAreStartTlsAndImaps) {
  Result<Config> config = LoadOne(kTls);
  ASSERT_TRUE(config.has_value()) << config.error().message();
  ASSERT_EQ(config->listeners.size(), 2u);
  EXPECT_EQ(config->listeners[0].name, "imap");
  EXPECT_EQ(config->listeners[0].tls, TlsMode::kStartTls);
  EXPECT_EQ(config->listeners[0].address, "127.0.0.1:143");
  EXPECT_EQ(config->listeners[1].name, "imaps");
  EXPECT_EQ(config->listeners[1].tls, TlsMode::kImplicit);
  EXPECT_EQ(config->listeners[1].address, "127.0.0.1:993");
}

TEST(ConfigTest, ReadsEveryKey) {
  Result<Config> config = LoadOne(R"(
[server]
hostname = "mail.example.org"
io_threads = 4
workers = 8
io_backend = "epoll"
user = "vmail"
group = "mail"
shutdown_timeout = 3
max_connections_per_ip = 20
[log]
level = "debug"
format = "json"
file = "/var/log/roost.log"
[tls]
cert = "/etc/ssl/roost.pem"
key = "/etc/ssl/roost.key"
client_ca = "/etc/ssl/ca.pem"
require_client_cert = true
min_version = "TLSv1.3"
ciphers = "HIGH"
[limits]
line_pre_auth = 4096
literal_pre_auth = 1024
line = 32768
literal = 1048576
output_soft = 65536
output_hard = 1048576
pipeline = 8
[admin]
address = ""
[[listener]]
name = "front"
protocol = "imap"
address = "[::1]:0"
tls = "implicit"
proxy_protocol = true
trusted_proxies = ["10.0.0.0/8", "::1"]
)");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->server.hostname, "mail.example.org");
  EXPECT_EQ(config->server.io_threads, 4u);
  EXPECT_EQ(config->server.workers, 8u);
  EXPECT_EQ(config->server.io_backend, net::IoBackend::kEpoll);
  EXPECT_EQ(config->server.user, "vmail");
  EXPECT_EQ(config->server.group, "mail");
  EXPECT_EQ(config->server.shutdown_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config->server.max_connections_per_ip, 20u);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.format, "json");
  EXPECT_EQ(config->log.file, "/var/log/roost.log");
  EXPECT_TRUE(config->tls.configured);
  EXPECT_EQ(config->tls.options.cert_file, "/etc/ssl/roost.pem");
  EXPECT_EQ(config->tls.options.key_file, "/etc/ssl/roost.key");
  EXPECT_EQ(config->tls.options.client_ca_file, "/etc/ssl/ca.pem");
  EXPECT_TRUE(config->tls.options.require_client_cert);
  EXPECT_EQ(config->tls.options.min_version, "TLSv1.3");
  EXPECT_EQ(config->tls.options.ciphers, "HIGH");
  EXPECT_EQ(config->limits.pre_auth.max_line, 4096u);
  EXPECT_EQ(config->limits.pre_auth.max_literal, 1024u);
  EXPECT_EQ(config->limits.pre_auth.max_frame, 4096u + 1024u);
  EXPECT_EQ(config->limits.post_auth.max_line, 32768u);
  EXPECT_EQ(config->limits.post_auth.max_literal, 1048576u);
  EXPECT_EQ(config->limits.post_auth.max_frame, 32768u + 1048576u);
  EXPECT_EQ(config->limits.output_soft, 65536u);
  EXPECT_EQ(config->limits.output_hard, 1048576u);
  EXPECT_EQ(config->limits.pipeline_post_auth, 8u);
  EXPECT_EQ(config->admin_address, "");
  ASSERT_EQ(config->listeners.size(), 1u);
  const ListenerConfig& l = config->listeners[0];
  EXPECT_EQ(l.name, "front");
  EXPECT_EQ(l.address, "[::1]:0");
  EXPECT_EQ(l.tls, TlsMode::kImplicit);
  EXPECT_TRUE(l.proxy_protocol);
  EXPECT_EQ(l.trusted_proxies.size(), 2u);
}

TEST(ConfigTest, ListenerDefaultsFollowTls) {
  Result<Config> config = LoadOne(std::string(kTls) + "[[listener]]\ntls = \"implicit\"\n[[listener]]\n");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  ASSERT_EQ(config->listeners.size(), 2u);
  EXPECT_EQ(config->listeners[0].name, "imaps");
  EXPECT_EQ(config->listeners[0].address, "127.0.0.1:993");
  EXPECT_EQ(config->listeners[1].name, "imap");
  EXPECT_EQ(config->listeners[1].tls, TlsMode::kStartTls);
  EXPECT_EQ(config->listeners[1].address, "127.0.0.1:143");
}

TEST(ConfigTest, LaterFilesWinKeyByKeyAndListenersAppend) {
  Result<Config> config = Load({
      {"roost.toml", "[server]\nio_threads = 2\nworkers = 3\n[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:0\"\n"},
      {"conf.d/10-first.toml", "[server]\nworkers = 5\n[log]\nlevel = \"warn\"\n"},
      {"conf.d/20-second.toml",
       "[server]\nworkers = 7\n[[listener]]\nname = \"b\"\naddress = \"127.0.0.1:0\"\n"},
  });
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->server.io_threads, 2u);  // untouched by later files
  EXPECT_EQ(config->server.workers, 7u);     // last file wins
  EXPECT_EQ(config->log.level, "warn");
  ASSERT_EQ(config->listeners.size(), 2u);
  EXPECT_EQ(config->listeners[0].name, "a");
  EXPECT_EQ(config->listeners[1].name, "b");
}

TEST(ConfigTest, TlsInConfDSetsListenerDefaults) {
  Result<Config> config = Load({{"roost.toml", "[[listener]]\n"}, {"conf.d/tls.toml", kTls}});
  ASSERT_TRUE(config.has_value()) << config.error().message();
  ASSERT_EQ(config->listeners.size(), 1u);
  EXPECT_EQ(config->listeners[0].tls, TlsMode::kStartTls);
}

TEST(ConfigTest, RelativeTlsPathsAreRelativeToConfigDirectory) {
  Result<Config> config = Load(
      {{"roost.toml", "[tls]\ncert = \"certs/server.pem\"\nkey = \"/abs/key.pem\"\nclient_ca = \"./ca.pem\"\n"}},
      "/etc/roost");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->tls.options.cert_file, "/etc/roost/certs/server.pem");
  EXPECT_EQ(config->tls.options.key_file, "/abs/key.pem");
  EXPECT_EQ(config->tls.options.client_ca_file, "/etc/roost/ca.pem");
}

TEST(ConfigTest, UnknownKeysAreErrors) {
  EXPECT_EQ(ErrorOf(LoadOne("[server]\nio_thread = 2\n")), "roost.toml: server.io_thread: unknown key");
  EXPECT_EQ(ErrorOf(LoadOne("[serv]\n")), "roost.toml: serv: unknown key");
  EXPECT_EQ(ErrorOf(LoadOne("toplevel = 1\n")), "roost.toml: toplevel: unknown key");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\nport = 143\n")), "roost.toml: listener[0].port: unknown key");
}

TEST(ConfigTest, WrongTypesAreErrors) {
  EXPECT_EQ(ErrorOf(LoadOne("[server]\nio_threads = \"4\"\n")),
            "roost.toml: server.io_threads: expected an integer, got string");
  EXPECT_EQ(ErrorOf(LoadOne("[tls]\nrequire_client_cert = 1\n")),
            "roost.toml: tls.require_client_cert: expected a boolean (true or false), got integer");
  EXPECT_EQ(ErrorOf(LoadOne("server = 3\n")), "roost.toml: server: expected a table, got integer");
  EXPECT_EQ(ErrorOf(LoadOne("[listener]\nname = \"x\"\n")),
            "roost.toml: listener: expected an array of tables ([[listener]])");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\ntrusted_proxies = \"10.0.0.0/8\"\n")),
            "roost.toml: listener[0].trusted_proxies: expected an array, got string");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\ntrusted_proxies = [1]\n")),
            "roost.toml: listener[0].trusted_proxies[0]: expected a string, got integer");
}

TEST(ConfigTest, BadEnumsAndRangesAreErrors) {
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\n[[listener]]\nname = \"b\"\naddress = \"127.0.0.1:0\"\ntls = \"ssl\"\n")),
            "roost.toml: listener[1].tls: must be one of none, starttls, implicit");
  EXPECT_EQ(ErrorOf(LoadOne("[server]\nio_backend = \"kqueue\"\n")),
            "roost.toml: server.io_backend: must be one of auto, uring, epoll");
  EXPECT_EQ(ErrorOf(LoadOne("[log]\nlevel = \"loud\"\n")),
            "roost.toml: log.level: must be one of trace, debug, info, warn, error, off");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\nprotocol = \"gopher\"\n")),
            "roost.toml: listener[0].protocol: must be one of imap");
  EXPECT_EQ(ErrorOf(LoadOne("[server]\nio_threads = 0\n")),
            "roost.toml: server.io_threads: must be between 1 and 256, got 0");
  EXPECT_EQ(ErrorOf(LoadOne("[limits]\npipeline = -1\n")),
            "roost.toml: limits.pipeline: must be between 1 and 1024, got -1");
}

TEST(ConfigTest, BadAddressesAreErrors) {
  EXPECT_THAT(ErrorOf(LoadOne("[[listener]]\naddress = \"localhost:143\"\n")),
              HasSubstr("roost.toml: listener[0].address: invalid host 'localhost'"));
  EXPECT_THAT(ErrorOf(LoadOne("[[listener]]\naddress = \"127.0.0.1:70000\"\n")),
              HasSubstr("roost.toml: listener[0].address: invalid port '70000'"));
  EXPECT_THAT(ErrorOf(LoadOne("[admin]\naddress = \"127.0.0.1\"\n")),
              HasSubstr("roost.toml: admin.address: expected host:port"));
  EXPECT_EQ(CheckAddress("*:143"), "");
  EXPECT_EQ(CheckAddress("[::1]:0"), "");
  EXPECT_EQ(CheckAddress("0.0.0.0:993"), "");
}

TEST(ConfigTest, TlsListenerWithoutCertificateIsAnError) {
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\ntls = \"starttls\"\n")),
            "roost.toml: listener[0].tls: starttls requires [tls] cert and key to be set");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\ntls = \"implicit\"\n")),
            "roost.toml: listener[0].tls: implicit requires [tls] cert and key to be set");
  EXPECT_EQ(ErrorOf(LoadOne("[tls]\ncert = \"c.pem\"\n")), "roost.toml: tls.key: required when tls.cert is set");
}

TEST(ConfigTest, BadCidrIsAnError) {
  EXPECT_THAT(ErrorOf(LoadOne("[[listener]]\nproxy_protocol = true\ntrusted_proxies = [\"10.0.0.0/8\", "
                              "\"10.0.0.0/33\"]\n")),
              HasSubstr("roost.toml: listener[0].trusted_proxies[1]: invalid CIDR '10.0.0.0/33'"));
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\nproxy_protocol = true\n")),
            "roost.toml: listener[0].trusted_proxies: must list the proxies' networks when proxy_protocol = true");
}

TEST(ConfigTest, CrossKeyRules) {
  EXPECT_EQ(ErrorOf(LoadOne("[server]\ngroup = \"mail\"\n")), "roost.toml: server.group: requires server.user");
  EXPECT_EQ(ErrorOf(LoadOne("[limits]\noutput_soft = 65536\noutput_hard = 8192\n")),
            "roost.toml: limits.output_hard: must be at least limits.output_soft (65536)");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\n[[listener]]\naddress = \"127.0.0.1:0\"\n")),
            "roost.toml: listener[1].name: duplicate listener name 'imap'");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\nname = \"admin\"\n")),
            "roost.toml: listener[0].name: 'admin' is reserved for the admin listener");
  EXPECT_EQ(ErrorOf(LoadOne("[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:8026\"\n")),
            "roost.toml: listener[0].address: 127.0.0.1:8026 is already used by 'admin'");
}

TEST(ConfigTest, ErrorsNameTheFileThatHasThem) {
  std::string error = ErrorOf(Load({{"roost.toml", "[server]\nworkers = 2\n"},
                                    {"conf.d/50-bad.toml", "[server]\nworkers = \"many\"\n"}}));
  EXPECT_EQ(error, "conf.d/50-bad.toml: server.workers: expected an integer, got string");
}

TEST(ConfigTest, AllErrorsAreReported) {
  std::string error = ErrorOf(LoadOne("[server]\nbogus = 1\nio_threads = 0\n[log]\nformat = \"xml\"\n"));
  EXPECT_THAT(error, HasSubstr("server.bogus: unknown key"));
  EXPECT_THAT(error, HasSubstr("server.io_threads: must be between"));
  EXPECT_THAT(error, HasSubstr("log.format: must be one of text, json"));
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 2);
}

TEST(ConfigTest, SyntaxErrorsHaveLineAndColumn) {
  std::string error = ErrorOf(LoadOne("[server]\nio_threads = = 2\n"));
  EXPECT_THAT(error, HasSubstr("roost.toml:2:"));
}

class ConfigFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/roost-config-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigFilesTest, ReadsConfDInLexicalOrderAndIgnoresOtherFiles) {
  Write("roost.toml", "[server]\nworkers = 1\n[tls]\ncert = \"c.pem\"\nkey = \"k.pem\"\n");
  Write("conf.d/20-b.toml", "[server]\nworkers = 3\n");
  Write("conf.d/10-a.toml", "[server]\nworkers = 2\nio_threads = 2\n");
  Write("conf.d/30-c.toml.disabled", "[server]\nworkers = 99\n");
  Write("conf.d/README", "not toml");
  const std::string main = (dir_ / "roost.toml").string();
  std::vector<std::string> files = ConfigFiles(main);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[1], (dir_ / "conf.d/10-a.toml").string());
  EXPECT_EQ(files[2], (dir_ / "conf.d/20-b.toml").string());

  Result<Config> config = LoadConfig(main);
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->server.workers, 3u);
  EXPECT_EQ(config->server.io_threads, 2u);
  EXPECT_EQ(config->tls.options.cert_file, (dir_ / "c.pem").string());
}

TEST_F(ConfigFilesTest, MissingMainFileIsAnError) {
  std::string error = ErrorOf(LoadConfig((dir_ / "absent.toml").string()));
  EXPECT_THAT(error, HasSubstr("absent.toml: No such file or directory"));
}

}  // namespace
}  // namespace roost::server

namespace roost::server {
namespace {

std::string ReadDoc() {
  std::filesystem::path doc = std::filesystem::path(__FILE__).parent_path() / "../../../doc/config.md";
  std::ifstream in(doc);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// doc/config.md is the reference: every key the loader accepts must have a
// row, and its example must load.
TEST(ConfigDocTest, EveryKeyIsDocumented) {
  const std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty());
  for (const char* key :
       {"hostname", "io_threads", "workers", "io_backend", "user", "group", "shutdown_timeout",
        "max_connections_per_ip", "level", "format", "file", "cert", "key", "client_ca", "require_client_cert",
        "min_version", "ciphers", "line_pre_auth", "literal_pre_auth", "line", "literal", "output_soft",
        "output_hard", "pipeline", "address", "name", "protocol", "tls", "proxy_protocol", "trusted_proxies"}) {
    EXPECT_NE(doc.find(fmt::format("| `{}` |", key)), std::string::npos) << key;
  }
}

TEST(ConfigDocTest, ExampleLoads) {
  const std::string doc = ReadDoc();
  size_t start = doc.rfind("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string example = doc.substr(start, doc.find("```", start) - start);
  Result<Config> config = Load({{"roost.toml", example}}, "/etc/roost");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->tls.options.cert_file, "/etc/roost/certs/mail.pem");
  EXPECT_EQ(config->listeners.size(), 3u);
}

}  // namespace
}  // namespace roost::server
