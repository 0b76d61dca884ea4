// The `ura` executable: only main() lives here; everything else is in src/.
#include "cli/cli.h"

int main(int argc, char** argv) { return ura::cli::Main(argc, argv); }
