// SPDX-License-Identifier: MIT
/* hadir-collector: entry point. Subcommands arrive with the collector (issue 4). */
#include <stdio.h>
#include <string.h>

#include "common/log.h"

int main(int argc, char **argv)
{
	log_init_from_env();
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("hadir-collector %s\n", HADIR_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: hadir-collector --version\n");
	return 2;
}
