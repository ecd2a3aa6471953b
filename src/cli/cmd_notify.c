/*
 * cmd_notify.c — `fazhi notify run`: one notification pass (notify.h), as
 * the server makes every notify_interval_seconds: for an operator who
 * wants the day's reminders now, or a store no server runs on.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "calendar_store.h"
#include "cli.h"
#include "notify.h"

static int run(int argc, char **argv);

CLI_COMMAND(notify, "notify", "生成站内通知、推送消息 / make notifications and post webhooks",
	    "用法 / Usage: fazhi notify run [--db URI]\n\n"
	    "run  运行一次通知生成：审计日志中的新交办、退回、待审核、催办、督办生成站内通知；\n"
	    "     每天一次，即将到期和已逾期的事项、任务生成提醒；登记簿定义的日期提醒（如负责人\n"
	    "     须出庭的开庭）临近时提醒；再向群机器人推送待发送的消息。\n"
	    "     同一事件只通知一次（重复运行、服务重启均不重复）。服务运行时按设置\n"
	    "     notify_interval_seconds 自动运行。\n\n"
	    "run  one notification pass: new assignments, returns, reviews, urges in the audit log\n"
	    "     become notifications; once a day, items and tasks due soon or overdue become\n"
	    "     reminders, and so do the dates registers declare reminders on (a hearing);\n"
	    "     then the webhook deliveries due are posted. An event is told once,\n"
	    "     however often this runs. A running server does it every notify_interval_seconds.",
	    run)

static int pass(const char *uri)
{
	char why[512];
	struct settings s;
	struct notify_stats st;
	db *d = cli_open_db(uri, 0);
	int rc = d && cli_load_settings(d, &s) == 0 && calendar_store_refresh(d, why, sizeof why) == 0 ? 0 : -1;
	if (rc == 0 && (rc = notify_pass(d, &s, &st, why, sizeof why)) != 0)
		fprintf(stderr, "fazhi: %s\n", why);
	if (rc == 0)
		printf("审计事件 %" PRId64 " 条，新通知 %" PRId64 " 条%s；推送成功 %d 条，失败 %d 条\n"
		       "events %" PRId64 ", notices %" PRId64 "%s; webhooks delivered %d, failed %d\n",
		       st.events, st.notices, st.deadlines_run ? "（含今日期限提醒）" : "", st.delivered, st.failed,
		       st.events, st.notices, st.deadlines_run ? " (with today's deadlines)" : "", st.delivered, st.failed);
	db_close(d);
	return rc == 0 ? 0 : 1;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	char *w[1];
	if (cli_wants_help(&notify_cmd, argc, argv))
		return 0;
	if (cli_parse(argc, argv, 1, opts, w, 1) == 1 && strcmp(w[0], "run") == 0)
		return pass(uri);
	fprintf(stderr, "%s\n", notify_cmd.usage);
	return 2;
}
