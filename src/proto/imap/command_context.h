// CommandContext: everything one IMAP command handler may touch.
//
// Made by ImapSession for each command and destroyed when the handler
// returns. The tag and name view the frame bytes, which live as long as
// the context. Handlers reach session state only through `session` (its
// strand-only public methods).
//
// Thread affinity: strand only.
#pragma once

#include <string_view>

#include "proto/common/response_writer.h"
#include "proto/imap/command_table.h"
#include "proto/imap/parser.h"

namespace roost::proto::imap {

class ImapSession;

struct CommandContext {
  std::string_view tag;
  std::string_view name;  // as the client wrote it
  const CommandSpec& spec;
  CommandParser& args;  // positioned before the first argument
  ResponseWriter& out;
  ImapSession& session;

  // Tagged completions, e.g. ctx.Ok("NOOP completed").
  void Ok(std::string_view text, std::string_view code = {}) { out.Tagged(tag, Cond::kOk, code, text); }
  void No(std::string_view text, std::string_view code = {}) { out.Tagged(tag, Cond::kNo, code, text); }
  void Bad(std::string_view text, std::string_view code = {}) { out.Tagged(tag, Cond::kBad, code, text); }
};

}  // namespace roost::proto::imap
