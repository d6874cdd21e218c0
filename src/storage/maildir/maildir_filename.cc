#include "storage/maildir/maildir_filename.h"

#include <cstdio>

#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {
namespace {

bool IsKnownLetter(char c) {
  for (const auto& fl : kFlagLetters) {
    if (fl.letter == c) return true;
  }
  return false;
}

void AppendUnique(std::string& out, char c) {
  if (out.find(c) == std::string::npos) out.push_back(c);
}

void AppendOctal(std::string& out, unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof(buf), "\\%03o", c);
  out += buf;
}

std::string FormatCommon(const UniqueNameParts& p, const uint64_t* dev, const uint64_t* ino) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%lld.M%lldP%lld", static_cast<long long>(p.sec),
                static_cast<long long>(p.usec), static_cast<long long>(p.pid));
  std::string out = buf;
  if (dev != nullptr) {
    std::snprintf(buf, sizeof(buf), "V%llxI%llx", static_cast<unsigned long long>(*dev),
                  static_cast<unsigned long long>(*ino));
    out += buf;
  }
  if (!p.uniq.empty()) {
    out += '_';
    out += p.uniq;
  }
  out += '.';
  out += SanitizeHostname(p.host);
  if (p.size) {
    out += ",S=";
    out += std::to_string(*p.size);
  }
  return out;
}

}  // namespace

std::optional<uint64_t> FindSizeHint(std::string_view base, char key) {
  const char pattern[4] = {',', key, '=', '\0'};
  size_t pos = base.rfind(std::string_view(pattern, 3));
  if (pos == std::string_view::npos) return std::nullopt;
  std::string_view digits = base.substr(pos + 3);
  size_t end = 0;
  while (end < digits.size() && digits[end] >= '0' && digits[end] <= '9') ++end;
  // The value ends at the end of the base or at the next ',' field.
  if (end != digits.size() && digits[end] != ',') return std::nullopt;
  return ParseU64(digits.substr(0, end));
}

Result<ParsedFilename> ParseMaildirFilename(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("maildir filename: empty");
  if (name.size() > kMaxFilenameLength) return Status::InvalidArgument("maildir filename: too long");
  if (name.front() == '.') return Status::InvalidArgument("maildir filename: hidden file");
  if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("maildir filename: contains '/' or NUL");
  }
  ParsedFilename out;
  size_t colon = name.rfind(':');
  out.base = name.substr(0, colon);
  if (colon != std::string_view::npos) {
    out.has_info = true;
    out.info = name.substr(colon + 1);
    if (out.info.substr(0, 2) == "2,") {
      out.has_flags_info = true;
      std::string_view letters = out.info.substr(2);
      size_t comma = letters.find(',');
      if (comma != std::string_view::npos) {
        out.info_extra = letters.substr(comma);
        letters = letters.substr(0, comma);
      }
      // Courier: a flag is set if its letter appears anywhere in the field.
      for (char c : letters) {
        bool known = false;
        for (const auto& fl : kFlagLetters) {
          if (fl.letter == c) {
            out.flags.Set(fl.bit);
            known = true;
          }
        }
        if (!known) AppendUnique(out.unknown_flags, c);
      }
    }
  }
  out.size = FindSizeHint(out.base, 'S');
  out.vsize = FindSizeHint(out.base, 'W');
  return out;
}

std::string FormatFlagLetters(Flags flags, std::string_view unknown_flags) {
  std::string out;
  for (const auto& fl : kFlagLetters) {
    if (flags.Has(fl.bit)) out.push_back(fl.letter);
  }
  std::string unknown;
  for (char c : unknown_flags) {
    if (!IsKnownLetter(c)) AppendUnique(unknown, c);
  }
  return out + unknown;
}

std::string FormatCurName(std::string_view base, Flags flags, std::string_view unknown_flags,
                          std::string_view info_extra) {
  std::string out(base);
  out += ":2,";
  out += FormatFlagLetters(flags, unknown_flags);
  out += info_extra;
  return out;
}

std::string SanitizeHostname(std::string_view host) {
  std::string out;
  out.reserve(host.size());
  for (char ch : host) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '/' || c == ':' || c == '\\' || c == ',' || c < 0x20 || c == 0x7F) {
      AppendOctal(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string FormatTmpName(const UniqueNameParts& parts) {
  return FormatCommon(parts, nullptr, nullptr);
}

std::string FormatFinalName(const UniqueNameParts& parts, uint64_t dev, uint64_t ino) {
  return FormatCommon(parts, &dev, &ino);
}

}  // namespace roost::storage::maildir
