#include "kiosk/ui/i18n.hpp"

#include <spdlog/spdlog.h>

#include <toml++/toml.h>

namespace kiosk::ui {

namespace embedded {
std::string_view get(std::string_view name);
}

std::string_view language_code(Language l) { return l == Language::Chinese ? "zh-CN" : "en"; }
Language language_from_code(std::string_view code) { return code == "en" ? Language::English : Language::Chinese; }

std::string_view embedded_catalog_text(Language l) {
    return embedded::get(l == Language::Chinese ? "assets/i18n/zh-CN.toml" : "assets/i18n/en.toml");
}

Result<Catalog> parse_catalog(std::string_view text, std::string_view source) {
    try {
        const toml::table t = toml::parse(text, source);
        Catalog out;
        for (const auto& [k, v] : t) {
            const auto* s = v.as_string();
            if (s == nullptr)
                return Error{"i18n.invalid", std::string(source) + ": the text for '" + std::string(k.str()) +
                                                 "' is not a string"};
            out.emplace(std::string(k.str()), s->get());
        }
        return out;
    } catch (const toml::parse_error& e) {
        return Error{"i18n.invalid", std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " +
                                         std::string(e.description())};
    }
}

I18n::I18n() {
    for (auto l : {Language::Chinese, Language::English}) {
        auto c = parse_catalog(embedded_catalog_text(l), language_code(l));
        if (!c) {
            spdlog::error("i18n: {}", c.error().message);
            continue;
        }
        (l == Language::Chinese ? zh_ : en_) = std::move(*c);
    }
}

const std::string& I18n::tr(std::string_view key) const {
    const Catalog& first = catalog(lang_);
    if (auto it = first.find(key); it != first.end()) return it->second;
    if (auto it = zh_.find(key); it != zh_.end()) return it->second;
    missing_ = std::string(key);
    return missing_;
}

std::string substitute(std::string_view pattern,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            const auto close = pattern.find('}', i);
            if (close != std::string_view::npos) {
                const auto name = pattern.substr(i + 1, close - i - 1);
                bool replaced = false;
                for (const auto& [k, v] : args) {
                    if (k == name) {
                        out += v;
                        replaced = true;
                        break;
                    }
                }
                if (replaced) {
                    i = close + 1;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}

std::string I18n::format(std::string_view key,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return substitute(tr(key), args);
}

}  // namespace kiosk::ui
