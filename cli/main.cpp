#include "cli/run.h"

int main(int argc, char** argv) { return memleak::cli::run(argc, argv); }
