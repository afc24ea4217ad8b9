// The Atelier application. Everything with widgets lives in ui/; this file only starts it.
#include "ui/application.h"

int main(int argc, char** argv) { return atelier::ui::runApplication(argc, argv); }
