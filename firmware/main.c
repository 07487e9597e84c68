// SPDX-License-Identifier: MIT
/* hadir-kiosk: entry point. Subcommands arrive with the kiosk daemon (issue 3). */
#include <stdio.h>
#include <string.h>

#include "common/log.h"

int main(int argc, char **argv)
{
	log_init_from_env();
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("hadir-kiosk %s\n", HADIR_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: hadir-kiosk --version\n");
	return 2;
}
