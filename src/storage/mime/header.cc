#include "storage/mime/header.h"

#include <unordered_set>

#include "storage/mime/charset.h"

namespace roost::storage::mime {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// End of the line starting at pos (index after its '\n', or block end).
size_t LineEnd(std::string_view s, size_t pos) {
  size_t nl = s.find('\n', pos);
  return nl == std::string_view::npos ? s.size() : nl + 1;
}

std::string_view StripLineBreak(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void AppendCrlfNormalised(std::string_view raw, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\n') continue;
    bool has_cr = i > 0 && raw[i - 1] == '\r';
    out->append(raw.substr(start, i - start - (has_cr ? 1 : 0)));
    out->append("\r\n");
    start = i + 1;
  }
  if (start < raw.size()) {
    out->append(raw.substr(start));
    out->append("\r\n");  // a field cut off at the end of the block
  }
}

}  // namespace

std::optional<size_t> FieldNameLength(std::string_view line) {
  size_t i = 0;
  while (i < line.size()) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == ':' || c <= 32 || c == 127) break;
    ++i;
  }
  if (i == 0) return std::nullopt;
  size_t name_len = i;
  while (i < line.size() && IsWsp(line[i])) ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  return name_len;
}

bool HeaderFieldIterator::Next(HeaderField* field) {
  while (!done_ && pos_ < block_.size()) {
    size_t start = pos_;
    size_t end = LineEnd(block_, start);
    std::string_view line = StripLineBreak(block_.substr(start, end - start));
    pos_ = end;
    if (line.empty()) {
      done_ = true;  // the blank line ends the header
      return false;
    }
    std::optional<size_t> name_len = FieldNameLength(line);
    if (!name_len) continue;  // stray continuation or garbage line
    while (pos_ < block_.size() && IsWsp(block_[pos_])) pos_ = LineEnd(block_, pos_);
    std::string_view raw = block_.substr(start, pos_ - start);
    size_t colon = line.find(':');
    field->name = line.substr(0, *name_len);
    field->raw = raw;
    field->value = StripLineBreak(raw.substr(colon + 1));
    return true;
  }
  return false;
}

std::string UnfoldValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  size_t b = 0;
  while (b < out.size() && IsWsp(out[b])) ++b;
  size_t e = out.size();
  while (e > b && IsWsp(out[e - 1])) --e;
  return out.substr(b, e - b);
}

std::optional<std::string> FindField(std::string_view block, std::string_view name) {
  HeaderFieldIterator it(block);
  HeaderField f;
  while (it.Next(&f)) {
    if (AsciiEqualsIgnoreCase(f.name, name)) return UnfoldValue(f.value);
  }
  return std::nullopt;
}

std::string ExtractFields(std::string_view block, const std::vector<std::string_view>& names, bool exclude) {
  std::unordered_set<std::string> wanted;
  for (std::string_view n : names) wanted.insert(AsciiLowercase(n));
  std::string out;
  HeaderFieldIterator it(block);
  HeaderField f;
  while (it.Next(&f)) {
    bool listed = wanted.count(AsciiLowercase(f.name)) > 0;
    if (listed != exclude) AppendCrlfNormalised(f.raw, &out);
  }
  out.append("\r\n");
  return out;
}

}  // namespace roost::storage::mime
