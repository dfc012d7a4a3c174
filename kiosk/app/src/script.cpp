#include "script.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>

#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/id_number.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk_app.hpp"

namespace kiosk::app {

namespace {

struct Arity {
    int min, max;
};
const std::map<std::string, Arity, std::less<>>& commands() {
    static const std::map<std::string, Arity, std::less<>> c{
        {"time", {1, 1}},   {"card", {1, 1}},       {"idcard", {2, 5}}, {"tap", {1, 2}},
        {"type", {1, 1}},   {"key", {1, 1}},        {"wait", {1, 1}},   {"advance", {1, 1}},
        {"screenshot", {1, 1}}, {"expect", {1, 1}}, {"absent", {1, 1}}, {"hold", {2, 3}},
        {"await", {2, 2}},  {"await-absent", {2, 2}}, {"printer", {1, 1}},
    };
    return c;
}

Result<std::vector<std::string>> split_args(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i >= s.size()) break;
        std::string tok;
        if (s[i] == '"') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    tok += s[i + 1];
                    i += 2;
                } else if (s[i] == '"') {
                    ++i;
                    closed = true;
                    break;
                } else {
                    tok += s[i++];
                }
            }
            if (!closed) return Error{"script.syntax", "a quote is not closed"};
        } else {
            while (i < s.size() && s[i] != ' ' && s[i] != '\t') tok += s[i++];
        }
        out.push_back(std::move(tok));
    }
    return out;
}

std::optional<long> to_long(std::string_view s) {
    long v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string widget_list(const ui::FrameLog& log) {
    std::string out;
    for (const auto& w : log.widgets) {
        if (!out.empty()) out += ", ";
        out += w.label;
    }
    return out.empty() ? "none" : out;
}

bool on_screen(const ui::FrameLog& log, std::string_view text) {
    std::string all;
    for (const auto& t : log.texts) {
        if (t.text.find(text) != std::string::npos) return true;
        all += t.text;  // wrapped paragraphs: the text may span lines
    }
    for (const auto& w : log.widgets)
        if (w.label.find(text) != std::string::npos) return true;
    return all.find(text) != std::string::npos;
}

SDL_Scancode scancode(std::string_view name) {
    if (name == "Enter") return SDL_SCANCODE_RETURN;
    if (name == "Escape") return SDL_SCANCODE_ESCAPE;
    if (name == "Backspace") return SDL_SCANCODE_BACKSPACE;
    if (name == "Tab") return SDL_SCANCODE_TAB;
    if (name == "Space") return SDL_SCANCODE_SPACE;
    return SDL_SCANCODE_UNKNOWN;
}

class Runner {
public:
    Runner(KioskApp& app, std::string_view name, const std::string& dir) : app_(app), name_(name), dir_(dir) {}

    Result<void> run(const ScriptLine& l);

private:
    Result<std::pair<float, float>> target(const std::vector<std::string>& args);
    Result<void> tap(const ScriptLine& l);
    Result<void> hold(const ScriptLine& l);
    Result<void> id_card(const ScriptLine& l);
    Result<void> deliver(const std::function<void()>& post);

    KioskApp& app_;
    std::string name_;
    std::string dir_;
};

Result<void> Runner::deliver(const std::function<void()>& post) {
    if (app_.sim_reader() == nullptr) return Error{"script.device", "no simulated reader is running (use --demo)"};
    const auto target = app_.device_events_handled() + 1;
    post();
    if (!app_.wait_device_events(target, std::chrono::seconds{5}))
        return Error{"script.device", "the reader's event was not handled within 5 s"};
    app_.settle();
    return {};
}

Result<void> Runner::id_card(const ScriptLine& l) {
    drivers::IdCardText t;
    t.id_number = l.args[0];
    t.name = l.args[1];
    // Defaults read from the number itself, as a real card would carry them.
    if (auto birth = core::id_birth_date(t.id_number)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d%02d%02d", birth->year, birth->month, birth->day);
        t.birth = buf;
    }
    const auto g = core::id_gender(t.id_number);
    t.gender = g == core::Gender::Male ? "1" : g == core::Gender::Female ? "2" : "0";
    for (std::size_t i = 2; i < l.args.size(); ++i) {
        const auto& kv = l.args[i];
        const auto eq = kv.find('=');
        if (eq == std::string::npos) return Error{"script.syntax", "expected key=value, not " + kv};
        const auto key = kv.substr(0, eq), value = kv.substr(eq + 1);
        if (key == "gender") t.gender = value == "F" ? "2" : value == "M" ? "1" : value;
        else if (key == "birth") t.birth = value;
        else if (key == "address") t.address = value;
        else return Error{"script.syntax", "unknown idcard field '" + key + "' (gender, birth, address)"};
    }
    return deliver([&] { app_.sim_reader()->place_id_card(t); });
}

// Where a tap or a press lands: "label" (exact, else the only widget
// containing it), "label" #N (the Nth widget labelled exactly so, in drawing
// order, for rows of alike keys such as − and +), or X Y in window pixels.
Result<std::pair<float, float>> Runner::target(const std::vector<std::string>& args) {
    app_.settle();
    if (args.size() == 2 && args[1].size() > 1 && args[1][0] == '#') {
        const auto n = to_long(std::string_view(args[1]).substr(1));
        if (!n || *n < 1) return Error{"script.syntax", "#N counts from 1"};
        long seen = 0;
        for (const auto& w : app_.frame_log().widgets)
            if (w.label == args[0] && ++seen == *n) return std::pair{w.rect.cx(), w.rect.cy()};
        return Error{"script.no_widget", "fewer than " + std::to_string(*n) + " widgets labelled '" + args[0] +
                                             "' on screen " + app_.frame_log().screen};
    }
    if (args.size() == 2) {
        const auto px = to_long(args[0]), py = to_long(args[1]);
        if (!px || !py) return Error{"script.syntax", "a position needs two whole numbers X Y"};
        return std::pair{static_cast<float>(*px), static_cast<float>(*py)};
    }
    const auto& log = app_.frame_log();
    const std::string& label = args[0];
    const ui::WidgetRecord* hit = nullptr;
    int exact = 0;
    for (const auto& w : log.widgets)
        if (w.label == label) {
            hit = &w;
            ++exact;
        }
    if (exact > 1)
        return Error{"script.ambiguous", std::to_string(exact) + " widgets on screen " + log.screen + " are labelled '" +
                                             label + "'"};
    if (hit == nullptr) {
        int n = 0;
        for (const auto& w : log.widgets)
            if (w.label.find(label) != std::string::npos) {
                hit = &w;
                ++n;
            }
        if (n > 1)
            return Error{"script.ambiguous", "more than one widget on screen " + log.screen + " contains '" + label +
                                                 "' (" + widget_list(log) + ")"};
    }
    if (hit == nullptr)
        return Error{"script.no_widget", "no widget labelled '" + label + "' on screen " + log.screen +
                                             " (widgets: " + widget_list(log) + ")"};
    return std::pair{hit->rect.cx(), hit->rect.cy()};
}

Result<void> Runner::tap(const ScriptLine& l) {
    auto at = target(l.args);
    if (!at) return at.error();
    app_.input().tap(at->first, at->second);
    app_.settle();
    return {};
}

// hold "label" MS | hold X Y MS: a finger resting for MS real milliseconds.
Result<void> Runner::hold(const ScriptLine& l) {
    const auto ms = to_long(l.args.back());
    if (!ms || *ms < 0) return Error{"script.syntax", "hold needs the milliseconds last"};
    auto at = target({l.args.begin(), l.args.end() - 1});
    if (!at) return at.error();
    app_.clock().release();
    app_.input().press(at->first, at->second);
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds{*ms};
    while (!app_.quit_requested() && std::chrono::steady_clock::now() < end) app_.iterate(std::chrono::milliseconds{50});
    app_.input().release(at->first, at->second);
    app_.clock().hold();
    app_.settle();
    return {};
}

Result<void> Runner::run(const ScriptLine& l) {
    const auto& c = l.command;
    if (c == "time") {
        if (!KioskClock::settable())
            return Error{"script.clock", "this build does not let scripts set the clock (a release build)"};
        const auto t = core::parse_iso8601(l.args[0]);
        if (!t) return Error{"script.syntax", "not an ISO 8601 time with a zone: " + l.args[0]};
        app_.clock().set_utc(*t);
        app_.request_redraw();
        app_.settle();
        return {};
    }
    if (c == "card") return deliver([&] { app_.sim_reader()->tap_card(l.args[0]); });
    if (c == "idcard") return id_card(l);
    if (c == "tap") return tap(l);
    if (c == "hold") return hold(l);
    if (c == "type") {
        SDL_Event e{};
        e.type = SDL_TEXTINPUT;
        std::snprintf(e.text.text, sizeof e.text.text, "%s", l.args[0].c_str());
        app_.push_sdl_event(e);
        app_.settle();
        return {};
    }
    if (c == "key") {
        const auto sc = scancode(l.args[0]);
        if (sc == SDL_SCANCODE_UNKNOWN)
            return Error{"script.syntax", "unknown key '" + l.args[0] + "' (Enter, Escape, Backspace, Tab, Space)"};
        SDL_Event e{};
        e.type = SDL_KEYDOWN;
        e.key.keysym.scancode = sc;
        e.key.keysym.sym = SDL_GetKeyFromScancode(sc);
        app_.push_sdl_event(e);
        e.type = SDL_KEYUP;
        app_.push_sdl_event(e);
        app_.settle();
        return {};
    }
    if (c == "wait") {
        const auto ms = to_long(l.args[0]);
        if (!ms || *ms < 0) return Error{"script.syntax", "wait needs milliseconds"};
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds{*ms};
        app_.clock().release();
        while (!app_.quit_requested()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            app_.iterate(std::min(left, std::chrono::milliseconds{100}));
        }
        app_.clock().hold();
        return {};
    }
    if (c == "advance") {
        const auto s = to_long(l.args[0]);
        if (!s || *s < 0) return Error{"script.syntax", "advance needs seconds"};
        app_.clock().advance(std::chrono::seconds{*s});
        app_.request_redraw();
        app_.settle();
        return {};
    }
    if (c == "screenshot") {
        if (dir_.empty()) return Error{"script.screenshot", "no --screenshots DIR was given"};
        return app_.screenshot(std::filesystem::path(dir_) / (l.args[0] + ".png"));
    }
    if (c == "printer") {
        // The simulated printer's paper: paper-out | paper-in.
        if (l.args[0] != "paper-out" && l.args[0] != "paper-in")
            return Error{"script.syntax", "printer takes paper-out or paper-in"};
        if (!app_.set_sim_paper(l.args[0] == "paper-in"))
            return Error{"script.device", "there is no simulated printer (use --demo, or [devices.printer] driver = \"sim\")"};
        app_.settle();
        return {};
    }
    if (c == "await" || c == "await-absent") {
        // Real devices answer in their own time: wait (bounded) for the text
        // to appear, or to go.
        const bool want = c == "await";
        const auto ms = to_long(l.args[1]);
        if (!ms || *ms < 0) return Error{"script.syntax", c + " needs the milliseconds last"};
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds{*ms};
        app_.clock().release();
        struct Hold {
            KioskClock& clock;
            ~Hold() { clock.hold(); }
        } hold_again{app_.clock()};
        for (;;) {
            app_.settle();
            if (on_screen(app_.frame_log(), l.args[0]) == want) return {};
            if (std::chrono::steady_clock::now() >= end || app_.quit_requested())
                return Error{"script.await", "'" + l.args[0] + (want ? "' did not appear" : "' did not go") +
                                                 " within " + l.args[1] + " ms (screen " + app_.frame_log().screen + ")"};
            app_.iterate(std::chrono::milliseconds{50});
        }
    }
    if (c == "expect" || c == "absent") {
        app_.settle();
        const bool shown = on_screen(app_.frame_log(), l.args[0]);
        if (c == "expect" && !shown)
            return Error{"script.expect", "'" + l.args[0] + "' is not on screen " + app_.frame_log().screen};
        if (c == "absent" && shown)
            return Error{"script.absent", "'" + l.args[0] + "' is on screen " + app_.frame_log().screen};
        return {};
    }
    return Error{"script.syntax", "unknown command " + c};
}

}  // namespace

Result<std::vector<ScriptLine>> parse_script(std::string_view text, std::string_view name) {
    std::vector<ScriptLine> out;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto nl = text.find('\n', pos);
        std::string_view raw = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        ++number;
        while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
        while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
        if (raw.empty() || raw.front() == '#') continue;
        const auto sp = raw.find_first_of(" \t");
        ScriptLine l;
        l.number = number;
        l.text = std::string(raw);
        l.command = std::string(raw.substr(0, sp));
        const std::string where = std::string(name) + ":" + std::to_string(number) + ": ";
        const auto it = commands().find(l.command);
        if (it == commands().end()) return Error{"script.syntax", where + "unknown command '" + l.command + "'"};
        const auto rest = sp == std::string_view::npos ? std::string_view{} : raw.substr(sp + 1);
        if (l.command == "type") {
            // type takes the rest of the line, quoted or not
            auto args = split_args(rest);
            if (!args) return Error{"script.syntax", where + args.error().message};
            l.args = {args->size() == 1 ? (*args)[0] : std::string(rest)};
        } else {
            auto args = split_args(rest);
            if (!args) return Error{"script.syntax", where + args.error().message};
            l.args = std::move(*args);
        }
        const auto n = static_cast<int>(l.args.size());
        if (n < it->second.min || n > it->second.max)
            return Error{"script.syntax", where + "'" + l.command + "' takes " + std::to_string(it->second.min) +
                                              (it->second.max != it->second.min ? "-" + std::to_string(it->second.max) : "") +
                                              " argument(s), not " + std::to_string(n)};
        out.push_back(std::move(l));
    }
    return out;
}

int run_script(KioskApp& app, const std::vector<ScriptLine>& lines, std::string_view name, const std::string& dir) {
    Runner runner(app, name, dir);
    app.clock().hold();
    app.settle();
    for (const auto& l : lines) {
        if (app.quit_requested()) {
            std::fprintf(stderr, "%.*s:%d: the kiosk quit before this line\n", static_cast<int>(name.size()),
                         name.data(), l.number);
            return 1;
        }
        auto r = runner.run(l);
        if (!r) {
            std::fprintf(stderr, "%.*s:%d: %s: %s\n", static_cast<int>(name.size()), name.data(), l.number,
                         l.text.c_str(), r.error().message.c_str());
            return 1;
        }
        std::printf("script: line %d passed\n", l.number);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace kiosk::app
