#include "net/protocol.h"

namespace roost::net {

std::string_view FrameErrorName(FrameError::Kind kind) {
  switch (kind) {
    case FrameError::Kind::kLineTooLong: return "LineTooLong";
    case FrameError::Kind::kLiteralTooLarge: return "LiteralTooLarge";
    case FrameError::Kind::kTooManyLiterals: return "TooManyLiterals";
    case FrameError::Kind::kFrameTooLarge: return "FrameTooLarge";
    case FrameError::Kind::kBadLiteral: return "BadLiteral";
  }
  return "Unknown";
}

}  // namespace roost::net
