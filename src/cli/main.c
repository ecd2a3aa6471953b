/*
 * main.c — the `fazhi` entry point: finds the command and runs it; prints
 * the bilingual command list for --help. Every file fazhi creates (the
 * database, its -wal/-shm, keys, checkpoints, backups) is the owner's
 * alone: umask 077 before anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "crypto.h"
#include "webhook.h"

static void usage(FILE *f)
{
	fprintf(f, "法治政府建设管理平台 fazhi\n\n用法 / Usage: fazhi <命令/command> [选项/options]\n\n"
		   "命令 / Commands:\n");
	for (int i = 0; i < cli_ncommands; i++)
		fprintf(f, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fprintf(f, "\n每个命令的帮助 / Help for a command: fazhi <command> --help\n");
}

int main(int argc, char **argv)
{
	umask(077);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	if (crypto_init() != 0) {
		fprintf(stderr, "fazhi: 密码模块初始化失败 / crypto initialisation failed\n");
		return 1;
	}
	webhook_init();
	for (int i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i]->name, argv[1]) == 0)
			return cli_commands[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "fazhi: 未知命令 / unknown command: %s\n\n", argv[1]);
	usage(stderr);
	return 2;
}
