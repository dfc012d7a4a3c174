#pragma once
// Scripted runs: one command a line, driving the same binary with no display.
//
//   time 2026-11-25T11:30:00+08:00   set the kiosk clock (demo and test builds)
//   card 0004215869                  tap a community card
//   idcard 130730194603080024 张桂兰 [gender=F birth=19460308 address=...]
//   tap "点餐"                        the widget labelled exactly so, else the only one containing it
//   tap 960 540                      a tap at window coordinates
//   hold "佳禾社区党群服务中心" 3000     a finger resting on a widget (or at X Y) for real milliseconds
//   type TEXT                        text input
//   key Enter                        a key press (Enter, Escape, Backspace, Tab, Space)
//   wait 500                         real milliseconds
//   advance 65                       move the kiosk clock forward, in seconds
//   screenshot NAME                  writes DIR/NAME.png
//   expect "文字"                     fails unless that text is on the current screen
//   absent "文字"                     fails if that text is on the current screen
//   await "文字" 5000                 waits up to 5000 real ms for the text (real devices)
//   await-absent "文字" 5000          waits up to 5000 real ms for the text to go
//   printer paper-out | paper-in     the simulated printer runs out of paper, or gets it back
// Blank lines and lines starting with # are ignored. The run stops at the
// first failure, naming the file and line.
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk::app {

class KioskApp;

struct ScriptLine {
    int number = 0;
    std::string text;                // the line as written
    std::string command;
    std::vector<std::string> args;   // quotes removed
};

// Splits into commands; an unknown command or a wrong number of arguments is
// an error naming the line, before anything runs.
[[nodiscard]] Result<std::vector<ScriptLine>> parse_script(std::string_view text, std::string_view name);

// Runs the lines against a started kiosk. Returns 0 when every line passed.
int run_script(KioskApp& app, const std::vector<ScriptLine>& lines, std::string_view name,
               const std::string& screenshots_dir);

}  // namespace kiosk::app
