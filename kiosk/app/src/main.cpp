#include "kiosk/app/app.hpp"

int main(int argc, char** argv) { return kiosk::app::main_entry(argc, argv); }
