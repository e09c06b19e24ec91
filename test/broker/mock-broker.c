/*
 * mock-broker: librdkafka's mock cluster as a child process for tests.
 *
 *   mock-broker [--brokers N] [--topic name:partitions[:replication]]...
 *               [--log-level 0-7]
 *
 * Prints "BOOTSTRAP host:port,host:port,..." as its first stdout line, then
 * reads one command per stdin line and answers each with exactly one line,
 * "OK ..." or "ERR message", so the parent can pair answers with commands
 * by order alone. Exits on EOF of stdin, "quit", SIGTERM or SIGINT.
 *
 * Functions that only newer librdkafka releases have are compiled in when
 * build.sh finds them in the header (HAVE_* macros); otherwise the command
 * answers "ERR unsupported", so the same source serves both builds.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_TOKENS 256
#define LINE_MAX_LEN 65536

static rd_kafka_mock_cluster_t *mcluster;

static void answer(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        fflush(stdout);
}

static void answer_err(rd_kafka_resp_err_t err) {
        if (err)
                answer("ERR %s: %s", rd_kafka_err2name(err),
                       rd_kafka_err2str(err));
        else
                answer("OK");
}

/* Strict integer parsing: a typo in a test must not silently become 0. */
static int parse_long(const char *s, long *out) {
        char *end;
        if (!s || !*s)
                return -1;
        errno = 0;
        *out  = strtol(s, &end, 10);
        return (errno || *end) ? -1 : 0;
}

#define ARG_LONG(idx, var)                                                     \
        long var;                                                              \
        if (parse_long(argv[idx], &var)) {                                     \
                answer("ERR bad number '%s'", argv[idx] ? argv[idx] : "");     \
                return;                                                        \
        }

#define NEED_ARGS(n, usage)                                                    \
        if (argc != (n)) {                                                     \
                answer("ERR usage: %s", usage);                                \
                return;                                                        \
        }

static void cmd_topic(int argc, char **argv) {
        if (argc != 3 && argc != 4) {
                answer("ERR usage: topic <name> <partitions> [replication]");
                return;
        }
        ARG_LONG(2, partitions);
        long replication = 1;
        if (argc == 4 && parse_long(argv[3], &replication)) {
                answer("ERR bad number '%s'", argv[3]);
                return;
        }
        answer_err(rd_kafka_mock_topic_create(mcluster, argv[1],
                                              (int)partitions,
                                              (int)replication));
}

static void cmd_broker_state(int argc, char **argv, int up) {
        NEED_ARGS(2, up ? "up <broker>" : "down <broker>");
        ARG_LONG(1, broker);
        answer_err(up ? rd_kafka_mock_broker_set_up(mcluster, (int32_t)broker)
                      : rd_kafka_mock_broker_set_down(mcluster,
                                                      (int32_t)broker));
}

static void cmd_rtt(int argc, char **argv) {
        NEED_ARGS(3, "rtt <broker> <ms>");
        ARG_LONG(1, broker);
        ARG_LONG(2, ms);
        answer_err(
            rd_kafka_mock_broker_set_rtt(mcluster, (int32_t)broker, (int)ms));
}

/* errors <apiKey> <code>... : the next requests of that API key, on any
 * broker, fail with these codes in order. The cluster-wide stack has no
 * per-error delay in librdkafka, hence no "code:rtt" form here. */
static void cmd_errors(int argc, char **argv) {
        rd_kafka_resp_err_t errs[MAX_TOKENS];
        int i;
        if (argc < 3) {
                answer("ERR usage: errors <apiKey> <code>...");
                return;
        }
        ARG_LONG(1, api_key);
        for (i = 2; i < argc; i++) {
                long code;
                if (parse_long(argv[i], &code)) {
                        answer("ERR bad error code '%s' (per-error rtt "
                               "needs broker-errors)",
                               argv[i]);
                        return;
                }
                errs[i - 2] = (rd_kafka_resp_err_t)code;
        }
        rd_kafka_mock_push_request_errors_array(mcluster, (int16_t)api_key,
                                                (size_t)(argc - 2), errs);
        answer("OK %d", argc - 2);
}

/* broker-errors <broker> <apiKey> <code>[:rttMs]... : same for one broker,
 * each error optionally answered after a delay. The library takes the
 * tuples as varargs; pushing them one call at a time appends in the same
 * order, which avoids building a va_list of runtime length. */
static void cmd_broker_errors(int argc, char **argv) {
        long codes[MAX_TOKENS], rtts[MAX_TOKENS];
        int i, n = argc - 3;
        if (argc < 4) {
                answer("ERR usage: broker-errors <broker> <apiKey> "
                       "<code>[:rttMs]...");
                return;
        }
        ARG_LONG(1, broker);
        ARG_LONG(2, api_key);
        /* Validate everything before pushing anything: a half-applied
         * command would leave the stack in a state the test did not ask. */
        for (i = 0; i < n; i++) {
                char *colon = strchr(argv[i + 3], ':');
                rtts[i]     = 0;
                if (colon)
                        *colon = '\0';
                if (parse_long(argv[i + 3], &codes[i]) ||
                    (colon && parse_long(colon + 1, &rtts[i]))) {
                        answer("ERR bad error '%s'", argv[i + 3]);
                        return;
                }
        }
        for (i = 0; i < n; i++) {
                rd_kafka_resp_err_t err =
                    rd_kafka_mock_broker_push_request_error_rtts(
                        mcluster, (int32_t)broker, (int16_t)api_key, 1,
                        (rd_kafka_resp_err_t)codes[i], (int)rtts[i]);
                if (err) {
                        answer_err(err);
                        return;
                }
        }
        answer("OK %d", n);
}

static void cmd_error_count(int argc, char **argv) {
        size_t cnt = 0;
        NEED_ARGS(3, "error-count <broker> <apiKey>");
        ARG_LONG(1, broker);
        ARG_LONG(2, api_key);
        rd_kafka_resp_err_t err = rd_kafka_mock_broker_error_stack_cnt(
            mcluster, (int32_t)broker, (int16_t)api_key, &cnt);
        if (err)
                answer_err(err);
        else
                answer("OK %zu", cnt);
}

static void cmd_clear_errors(int argc, char **argv) {
        NEED_ARGS(2, "clear-errors <apiKey>");
        ARG_LONG(1, api_key);
        rd_kafka_mock_clear_request_errors(mcluster, (int16_t)api_key);
        answer("OK");
}

static void cmd_leader(int argc, char **argv) {
        NEED_ARGS(4, "leader <topic> <partition> <broker|-1>");
        ARG_LONG(2, partition);
        ARG_LONG(3, broker);
        answer_err(rd_kafka_mock_partition_set_leader(
            mcluster, argv[1], (int32_t)partition, (int32_t)broker));
}

/* coordinator <group|transaction> <key> <broker> */
static void cmd_coordinator(int argc, char **argv) {
        NEED_ARGS(4, "coordinator <group|transaction> <key> <broker>");
        ARG_LONG(3, broker);
        answer_err(rd_kafka_mock_coordinator_set(mcluster, argv[1], argv[2],
                                                 (int32_t)broker));
}

static void cmd_rebalance_delay(int argc, char **argv) {
        NEED_ARGS(2, "rebalance-delay <ms>");
        ARG_LONG(1, ms);
#ifdef HAVE_REBALANCE_DELAY
        rd_kafka_mock_group_initial_rebalance_delay_ms(mcluster, (int32_t)ms);
        answer("OK");
#else
        (void)ms;
        answer("ERR unsupported");
#endif
}

static void cmd_session_timeout(int argc, char **argv) {
        NEED_ARGS(2, "session-timeout <ms>");
        ARG_LONG(1, ms);
#ifdef HAVE_CONSUMER_GROUP_TIMEOUTS
        rd_kafka_mock_set_group_consumer_session_timeout_ms(mcluster, (int)ms);
        answer("OK");
#else
        (void)ms;
        answer("ERR unsupported");
#endif
}

static void cmd_heartbeat_interval(int argc, char **argv) {
        NEED_ARGS(2, "heartbeat-interval <ms>");
        ARG_LONG(1, ms);
#ifdef HAVE_CONSUMER_GROUP_TIMEOUTS
        rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(mcluster,
                                                               (int)ms);
        answer("OK");
#else
        (void)ms;
        answer("ERR unsupported");
#endif
}

/* track start|stop|clear|list. "list" answers on one line:
 * "OK <count> <apiKey>,<broker>,<timestampUs> ..." */
static void cmd_track(int argc, char **argv) {
        NEED_ARGS(2, "track start|stop|clear|list");
#ifdef HAVE_REQUEST_TRACKING
        if (!strcmp(argv[1], "start")) {
                rd_kafka_mock_start_request_tracking(mcluster);
        } else if (!strcmp(argv[1], "stop")) {
                rd_kafka_mock_stop_request_tracking(mcluster);
        } else if (!strcmp(argv[1], "clear")) {
                rd_kafka_mock_clear_requests(mcluster);
        } else if (!strcmp(argv[1], "list")) {
                size_t cnt = 0, i;
                rd_kafka_mock_request_t **reqs =
                    rd_kafka_mock_get_requests(mcluster, &cnt);
                printf("OK %zu", cnt);
                for (i = 0; i < cnt; i++)
                        printf(" %d,%d,%lld",
                               (int)rd_kafka_mock_request_api_key(reqs[i]),
                               (int)rd_kafka_mock_request_id(reqs[i]),
                               (long long)rd_kafka_mock_request_timestamp(
                                   reqs[i]));
                answer("");
                rd_kafka_mock_request_destroy_array(reqs, cnt);
                return;
        } else {
                answer("ERR usage: track start|stop|clear|list");
                return;
        }
        answer("OK");
#else
        answer("ERR unsupported");
#endif
}

static void cmd_apiversion(int argc, char **argv) {
        NEED_ARGS(4, "apiversion <apiKey> <min> <max>");
        ARG_LONG(1, api_key);
        ARG_LONG(2, min);
        ARG_LONG(3, max);
        answer_err(rd_kafka_mock_set_apiversion(
            mcluster, (int16_t)api_key, (int16_t)min, (int16_t)max));
}

static void cmd_version(void) {
        answer("OK %s", rd_kafka_version_str());
}

/* Returns 0 to keep going, 1 to quit. */
static int dispatch(char *line) {
        char *argv[MAX_TOKENS + 1];
        int argc = 0;
        char *save, *tok;

        for (tok = strtok_r(line, " \t\r", &save); tok && argc < MAX_TOKENS;
             tok = strtok_r(NULL, " \t\r", &save))
                argv[argc++] = tok;
        argv[argc] = NULL;

        if (argc == 0) {
                answer("ERR empty command");
                return 0;
        }

        const char *c = argv[0];
        if (!strcmp(c, "quit")) {
                answer("OK bye");
                return 1;
        } else if (!strcmp(c, "ping"))
                answer("OK pong");
        else if (!strcmp(c, "version"))
                cmd_version();
        else if (!strcmp(c, "bootstrap"))
                answer("OK %s", rd_kafka_mock_cluster_bootstraps(mcluster));
        else if (!strcmp(c, "topic"))
                cmd_topic(argc, argv);
        else if (!strcmp(c, "down"))
                cmd_broker_state(argc, argv, 0);
        else if (!strcmp(c, "up"))
                cmd_broker_state(argc, argv, 1);
        else if (!strcmp(c, "rtt"))
                cmd_rtt(argc, argv);
        else if (!strcmp(c, "errors"))
                cmd_errors(argc, argv);
        else if (!strcmp(c, "broker-errors"))
                cmd_broker_errors(argc, argv);
        else if (!strcmp(c, "error-count"))
                cmd_error_count(argc, argv);
        else if (!strcmp(c, "clear-errors"))
                cmd_clear_errors(argc, argv);
        else if (!strcmp(c, "leader"))
                cmd_leader(argc, argv);
        else if (!strcmp(c, "coordinator"))
                cmd_coordinator(argc, argv);
        else if (!strcmp(c, "rebalance-delay"))
                cmd_rebalance_delay(argc, argv);
        else if (!strcmp(c, "session-timeout"))
                cmd_session_timeout(argc, argv);
        else if (!strcmp(c, "heartbeat-interval"))
                cmd_heartbeat_interval(argc, argv);
        else if (!strcmp(c, "track"))
                cmd_track(argc, argv);
        else if (!strcmp(c, "apiversion"))
                cmd_apiversion(argc, argv);
        else
                answer("ERR unknown command '%s'", c);
        return 0;
}

static int create_topic_arg(const char *spec) {
        char name[512];
        int partitions = 1, replication = 1;
        if (sscanf(spec, "%511[^:]:%d:%d", name, &partitions, &replication) <
                1 ||
            partitions < 1 || replication < 1) {
                fprintf(stderr, "mock-broker: bad --topic '%s'\n", spec);
                return -1;
        }
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
            mcluster, name, partitions, replication);
        if (err) {
                fprintf(stderr, "mock-broker: topic %s: %s\n", name,
                        rd_kafka_err2str(err));
                return -1;
        }
        return 0;
}

/* Reads stdin with poll() next to a signalfd: a SIGTERM arriving while we
 * wait for a command ends the loop the same way EOF does, so the cluster
 * is always destroyed and its listening sockets closed. */
static void command_loop(int sigfd) {
        static char buf[LINE_MAX_LEN];
        size_t used = 0;

        for (;;) {
                struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0},
                                        {sigfd, POLLIN, 0}};
                if (poll(fds, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                if (fds[1].revents)
                        return;
                if (!fds[0].revents)
                        continue;

                ssize_t r = read(STDIN_FILENO, buf + used, sizeof(buf) - used);
                if (r <= 0)
                        return;
                used += (size_t)r;

                char *start = buf, *nl;
                while ((nl = memchr(start, '\n', used - (start - buf)))) {
                        *nl = '\0';
                        if (dispatch(start))
                                return;
                        start = nl + 1;
                }
                used -= (size_t)(start - buf);
                memmove(buf, start, used);
                if (used == sizeof(buf)) {
                        answer("ERR line too long");
                        used = 0;
                }
        }
}

int main(int argc, char **argv) {
        int brokers = 1, log_level = 3, i;
        char errstr[512];

        /* Blocked before librdkafka starts its threads, so they inherit the
         * mask and the signals only reach the signalfd. */
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
        /* A parent that went away must not kill us mid-cleanup. */
        signal(SIGPIPE, SIG_IGN);

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--brokers") && i + 1 < argc)
                        brokers = atoi(argv[++i]);
                else if (!strcmp(argv[i], "--log-level") && i + 1 < argc)
                        log_level = atoi(argv[++i]);
                else if (!strcmp(argv[i], "--topic") && i + 1 < argc)
                        i++; /* created once the cluster exists */
                else {
                        fprintf(stderr, "mock-broker: unknown argument %s\n",
                                argv[i]);
                        return 2;
                }
        }
        if (brokers < 1) {
                fprintf(stderr, "mock-broker: --brokers must be >= 1\n");
                return 2;
        }

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char level[16];
        snprintf(level, sizeof(level), "%d", log_level);
        if (rd_kafka_conf_set(conf, "log_level", level, errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "mock-broker: %s\n", errstr);
                return 2;
        }
        rd_kafka_t *rk =
            rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-broker: %s\n", errstr);
                return 1;
        }
        mcluster = rd_kafka_mock_cluster_new(rk, brokers);
        if (!mcluster) {
                fprintf(stderr, "mock-broker: could not create cluster\n");
                rd_kafka_destroy(rk);
                return 1;
        }
#ifdef HAVE_REBALANCE_DELAY
        /* Kafka's default of 3 s makes every group test wait; tests that
         * want the delay set it back with "rebalance-delay". */
        rd_kafka_mock_group_initial_rebalance_delay_ms(mcluster, 0);
#endif

        int ok = 1;
        for (i = 1; i < argc; i++)
                if (!strcmp(argv[i], "--topic") && create_topic_arg(argv[++i]))
                        ok = 0;

        if (ok) {
                answer("BOOTSTRAP %s",
                       rd_kafka_mock_cluster_bootstraps(mcluster));
                command_loop(sigfd);
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        close(sigfd);
        return ok ? 0 : 1;
}
