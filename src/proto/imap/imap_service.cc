#include "proto/imap/imap_service.h"

#include "proto/common/line_framer.h"
#include "proto/imap/imap_session.h"

namespace roost::proto::imap {
namespace {

class ImapHandlerFactory final : public net::HandlerFactory {
 public:
  ImapHandlerFactory(exec::Executor& executor, ImapOptions options)
      : executor_(executor), options_(std::move(options)) {
    Session::RegisterMetrics(protocol());
  }

  std::string_view protocol() const override { return "imap"; }

  std::unique_ptr<net::Framer> NewFramer() override {
    return std::make_unique<ImapFramer>(options_.pre_auth_limits);
  }

  std::shared_ptr<net::ConnectionHandler> NewHandler(net::ConnectionHandle handle,
                                                     const net::PeerInfo& peer) override {
    return Session::Create<ImapSession>(executor_, std::move(handle), options_);
  }

 private:
  exec::Executor& executor_;
  const ImapOptions options_;
};

}  // namespace

std::shared_ptr<net::HandlerFactory> NewImapHandlerFactory(exec::Executor& executor, ImapOptions options) {
  return std::make_shared<ImapHandlerFactory>(executor, std::move(options));
}

}  // namespace roost::proto::imap
